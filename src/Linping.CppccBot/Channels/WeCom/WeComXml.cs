using System.Globalization;
using System.Text;
using System.Xml;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// Reads WeCom callback XML and writes passive replies. The reader refuses DTDs (so no external entities and no
/// entity expansion bombs), resolves nothing, and caps the document size; element order, CDATA and whitespace between
/// elements vary between WeCom's samples and are all accepted.
/// </summary>
public static class WeComXml
{
    /// <summary>The largest document read, in characters. Real callbacks are a few kilobytes.</summary>
    public const int MaxCharactersInDocument = 1024 * 1024;

    // Callbacks are flat apart from a few lists (SelectedItems/SelectedItem/OptionIds/OptionId); deeper nesting is
    // not WeCom's and is refused rather than walked.
    private const int MaxDepth = 8;

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharactersInDocument,

        // No DTD means no user-defined entities; the small cap is a second line should DTDs ever be enabled.
        // (0 would mean "no limit" here, not "none allowed".)
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>Reads the outer callback XML (<c>ToUserName</c>, <c>AgentID</c>, <c>Encrypt</c>).</summary>
    /// <exception cref="WeComCryptoException">Malformed XML, a DTD, or no <c>Encrypt</c> (ParseXml).</exception>
    public static WeComEnvelope ParseEnvelope(string xml)
    {
        var root = Parse(xml);
        var encrypt = root.Text("Encrypt");
        if (string.IsNullOrEmpty(encrypt))
        {
            throw new WeComCryptoException(WeComCryptoError.ParseXml, "WeCom callback has no Encrypt element.");
        }

        return new WeComEnvelope
        {
            Encrypt = encrypt,
            ToUserName = root.Text("ToUserName"),
            AgentId = root.Text("AgentID"),
            MsgSignature = root.Text("MsgSignature"),
            TimeStamp = root.Text("TimeStamp"),
            Nonce = root.Text("Nonce"),
        };
    }

    /// <summary>Reads a decrypted app callback (message or event).</summary>
    /// <exception cref="WeComCryptoException">Malformed XML, a DTD, or a missing/invalid FromUserName, MsgType or CreateTime (ParseXml).</exception>
    public static WeComCallbackMessage ParseMessage(string decryptedXml)
    {
        var root = Parse(decryptedXml);
        var from = root.Text("FromUserName");
        var msgType = root.Text("MsgType")?.Trim();
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(msgType))
        {
            throw new WeComCryptoException(WeComCryptoError.ParseXml, "WeCom message lacks FromUserName or MsgType.");
        }

        // CreateTime feeds the event de-duplication key and SentAt; a message without a valid one is not WeCom's.
        if (!long.TryParse(root.Text("CreateTime"), NumberStyles.None, CultureInfo.InvariantCulture, out var createTime)
            || createTime > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new WeComCryptoException(WeComCryptoError.ParseXml, "WeCom message has no valid CreateTime.");
        }

        return new WeComCallbackMessage
        {
            ToUserName = root.Text("ToUserName"),
            FromUserName = from,
            CreateTime = createTime,
            MsgType = msgType.ToLowerInvariant(),
            Content = root.Text("Content"),
            MsgId = NullIfEmpty(root.Text("MsgId")?.Trim()),
            Event = NullIfEmpty(root.Text("Event")?.Trim().ToLowerInvariant()),
            EventKey = root.Text("EventKey"),
            TaskId = root.Text("TaskId"),
            CardType = root.Text("CardType"),
            ResponseCode = root.Text("ResponseCode"),
            AgentId = root.Text("AgentID")?.Trim(),
            MediaId = root.Text("MediaId"),
            PicUrl = root.Text("PicUrl"),
            SelectedItems = ReadSelectedItems(root),
        };
    }

    /// <summary>
    /// The passive text reply plaintext (doc 90241). ToUserName is the member, FromUserName the corp id. Encrypt it
    /// with <see cref="WeComCrypto.BuildEncryptedReply"/>.
    /// </summary>
    public static string BuildTextReply(string toUser, string fromCorpId, long createTime, string content)
    {
        ArgumentNullException.ThrowIfNull(toUser);
        ArgumentNullException.ThrowIfNull(fromCorpId);
        ArgumentNullException.ThrowIfNull(content);

        var xml = new StringBuilder(content.Length + 200);
        xml.Append("<xml><ToUserName>").Append(Cdata(toUser)).Append("</ToUserName>")
            .Append("<FromUserName>").Append(Cdata(fromCorpId)).Append("</FromUserName>")
            .Append("<CreateTime>").Append(createTime.ToString(CultureInfo.InvariantCulture)).Append("</CreateTime>")
            .Append("<MsgType><![CDATA[text]]></MsgType>")
            .Append("<Content>").Append(Cdata(content)).Append("</Content></xml>");
        return xml.ToString();
    }

    /// <summary>
    /// Wraps text in CDATA. A <c>]]&gt;</c> inside is split across two sections so it cannot end the section early,
    /// and characters XML 1.0 cannot carry at all (control characters, lone surrogates) are dropped.
    /// </summary>
    public static string Cdata(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "<![CDATA[" + RemoveInvalidXmlChars(value).Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal) + "]]>";
    }

    private static string RemoveInvalidXmlChars(string value)
    {
        if (!HasInvalidXmlChar(value))
        {
            return value;
        }

        var clean = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                clean.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    private static bool HasInvalidXmlChar(string value)
    {
        try
        {
            XmlConvert.VerifyXmlChars(value);
            return false;
        }
        catch (XmlException)
        {
            return true;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static List<WeComSelectedItem> ReadSelectedItems(Node root)
    {
        var items = new List<WeComSelectedItem>();
        foreach (var item in root.Child("SelectedItems")?.Children ?? [])
        {
            if (item.Name != "SelectedItem")
            {
                continue;
            }

            var options = (item.Child("OptionIds")?.Children ?? [])
                .Where(o => o.Name == "OptionId")
                .Select(o => o.Value)
                .ToList();
            items.Add(new WeComSelectedItem(item.Text("QuestionKey") ?? string.Empty, options));
        }

        return items;
    }

    private static Node Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                throw new WeComCryptoException(WeComCryptoError.ParseXml, "WeCom XML has no root element.");
            }

            var root = ReadElement(reader, depth: 0);

            // Anything but whitespace and comments after the root is malformed; XmlReader reports it on Read.
            while (reader.Read())
            {
            }

            return root;
        }
        catch (XmlException e)
        {
            // The XmlException's own message can quote document text (a decrypted message): only its position is kept.
            throw new WeComCryptoException(
                WeComCryptoError.ParseXml,
                string.Create(CultureInfo.InvariantCulture, $"WeCom XML is malformed or not allowed (line {e.LineNumber}, position {e.LinePosition})."));
        }
    }

    // Reads the element the reader is on, including its end tag, into a small tree: element children, and the
    // concatenated text/CDATA (whitespace-only text between child elements is not part of any value).
    private static Node ReadElement(XmlReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new WeComCryptoException(WeComCryptoError.ParseXml, "WeCom XML is nested too deeply.");
        }

        var node = new Node(reader.LocalName);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return node;
        }

        var text = new StringBuilder();
        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    node.Children.Add(ReadElement(reader, depth + 1));
                    continue;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    break;
                case XmlNodeType.None:
                    throw new WeComCryptoException(WeComCryptoError.ParseXml, "WeCom XML ends early.");
                default:
                    break;
            }

            reader.Read();
        }

        reader.Read();
        node.Value = node.Children.Count == 0 ? text.ToString() : string.Empty;
        return node;
    }

    private sealed class Node(string name)
    {
        public string Name { get; } = name;

        public string Value { get; set; } = string.Empty;

        public List<Node> Children { get; } = [];

        // The first element of that name wins; names are case-sensitive as in XML.
        public Node? Child(string name) => Children.Find(c => string.Equals(c.Name, name, StringComparison.Ordinal));

        public string? Text(string name) => Child(name)?.Value;
    }
}
