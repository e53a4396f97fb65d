using System.Globalization;
using System.Text;
using System.Xml;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// Reads WeCom callback XML and writes passive replies. The reader (<see cref="WeComXmlReader"/>) refuses DTDs (so no
/// external entities and no entity expansion bombs), resolves nothing, and caps the document size and depth; element
/// order, CDATA and whitespace between elements vary between WeCom's samples and are all accepted.
/// </summary>
public static class WeComXml
{
    /// <summary>The largest document read, in characters. Real callbacks are a few kilobytes.</summary>
    public const int MaxCharactersInDocument = 1024 * 1024;

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

    private static List<WeComSelectedItem> ReadSelectedItems(WeComXmlNode root)
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

    private static WeComXmlNode Parse(string xml) => WeComXmlReader.Parse(xml);
}
