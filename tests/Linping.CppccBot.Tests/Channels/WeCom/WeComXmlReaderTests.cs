using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Tests.BadInput;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>
/// The host's own XML reader against .NET's <see cref="XmlReader"/> (DTDs prohibited, as the host used before): for
/// every document both must agree whether it is accepted and, when it is, on every element's name and value. The
/// documents are WeCom's samples, the bad-input corpus, hand-picked edge cases and random mutations of real callbacks.
/// </summary>
public sealed class WeComXmlReaderTests
{
    private const string Message = """
        <xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>
        <FromUserName><![CDATA[wangjianguo]]></FromUserName>
        <CreateTime>1764216000</CreateTime>
        <MsgType><![CDATA[text]]></MsgType>
        <Content><![CDATA[我要请假 a&b <c>]]></Content>
        <MsgId>7000000000000000001</MsgId>
        <AgentID>1000002</AgentID>
        </xml>
        """;

    private const string Card = """
        <xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[u1]]></FromUserName><CreateTime>1</CreateTime>
        <MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[k]]></EventKey>
        <TaskId><![CDATA[t]]></TaskId><CardType><![CDATA[vote_interaction]]></CardType><ResponseCode><![CDATA[r]]></ResponseCode>
        <AgentID>1</AgentID><SelectedItems><SelectedItem><QuestionKey><![CDATA[q]]></QuestionKey>
        <OptionIds><OptionId><![CDATA[o1]]></OptionId><OptionId><![CDATA[o2]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>
        """;

    private const string Envelope = "<xml><ToUserName><![CDATA[corp]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt></xml>";

    private static readonly XmlReaderSettings OracleSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = WeComXml.MaxCharactersInDocument,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static TheoryData<string> EdgeCases =>
    [
        "", " ", "x", "<", "<xml", "<xml>", "<xml/>", "<xml />", "<xml></xml>", "<xml></xml >", "<xml></ xml>", "</xml>",
        "<xml>a</xml>", "<xml>\n a \n</xml>", " \r\n<xml>a</xml>\r\n ", "<xml>a</xml>b", "<xml>a</xml><xml/>", "<xml>a</XML>",
        "<xml><a>1</a><b>2</b></xml>", "<xml><a>1</a>text<b>2</b></xml>", "<xml>t<a/>u</xml>", "<xml><a></a><a>2</a></xml>",
        "<xml><a>1</b></xml>", "<xml><a>1</a></xml></xml>", "<xml><a>1</xml>", "<xml><ab>1</a></xml>", "<xml><a>1</ab></xml>",
        "\uFEFF<xml>a</xml>", "\uFEFF\uFEFF<xml>a</xml>", "<xml>\uFEFF</xml>",
        "<?xml version=\"1.0\"?><xml>a</xml>", "<?xml version='1.0' encoding='utf-8'?><xml>a</xml>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><xml>a</xml>", "<?xml version=\"1.0\" standalone=\"no\" ?>\n<xml>a</xml>",
        "<?xml version=\"1.1\"?><xml>a</xml>", "<?xml encoding=\"utf-8\"?><xml>a</xml>", "<?xml version=\"1.0\" version=\"1.0\"?><xml>a</xml>",
        "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"utf-8\"?><xml>a</xml>", "<?xml version=\"1.0\" standalone=\"maybe\"?><xml>a</xml>",
        "<?xml version=\"1.0\"encoding=\"utf-8\"?><xml>a</xml>", "<?xml version=\"1.0\" encoding=\"\"?><xml>a</xml>", "<?xml?><xml>a</xml>",
        "<?xml version=\"1.0\" foo=\"bar\"?><xml>a</xml>", " <?xml version=\"1.0\"?><xml>a</xml>", "<xml>a</xml><?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\"?><?xml version=\"1.0\"?><xml>a</xml>", "<?XML version=\"1.0\"?><xml>a</xml>", "<?xml-stylesheet href=\"a\"?><xml>a</xml>",
        "<?pi?><xml>a</xml>", "<?pi data?><xml>a<?pi x?>b</xml><?pi?>", "<?pi", "<xml>a<?pi</xml>", "<?pidata?><xml/>", "<xml><?xml x?></xml>",
        "<!-- c --><xml>a<!-- c -->b</xml><!-- c -->", "<!----><xml/>", "<!-- a -- b --><xml/>", "<!-- a ---><xml/>", "<!--><xml/>", "<!---><xml/>",
        "<xml><!-- c </xml>", "<xml>a<!-- c -->", "<!DOCTYPE xml><xml/>", "<xml><!DOCTYPE x></xml>", "<xml><!ELEMENT x ANY></xml>", "<![CDATA[x]]><xml/>",
        "<xml><![CDATA[a]]></xml>", "<xml><![CDATA[]]></xml>", "<xml><![CDATA[a]]><![CDATA[b]]></xml>", "<xml>a<![CDATA[b]]>c</xml>",
        "<xml><![CDATA[a]]]]><![CDATA[>b]]></xml>", "<xml><![CDATA[a</xml>", "<xml><![CDATA[<&>]]></xml>", "<xml><![cdata[a]]></xml>",
        "<xml><![CDATA[a\r\nb\rc]]></xml>", "<xml>a\r\nb\rc\n\rd</xml>", "<xml>]]></xml>", "<xml>a]]>b</xml>", "<xml>]]</xml>", "<xml>]></xml>", "<xml>]]]></xml>",
        "<xml>a>b</xml>", "<xml>a<b</xml>", "<xml>&lt;&gt;&amp;&quot;&apos;</xml>", "<xml>&#65;&#x42;&#x0043;&#0068;</xml>", "<xml>&#X41;</xml>",
        "<xml>&#x;</xml>", "<xml>&#;</xml>", "<xml>&#0;</xml>", "<xml>&#x1;</xml>", "<xml>&#x9;&#xA;&#xD;</xml>", "<xml>&#xD800;</xml>", "<xml>&#xFFFE;</xml>",
        "<xml>&#x1F600;</xml>", "<xml>&#x110000;</xml>", "<xml>&#99999999999;</xml>", "<xml>&#-1;</xml>", "<xml>&#x+1;</xml>", "<xml>& lt;</xml>",
        "<xml>&lt</xml>", "<xml>&;</xml>", "<xml>&bogus;</xml>", "<xml>&LT;</xml>", "<xml>a & b</xml>", "<xml>&amp;amp;</xml>", "<xml>&nbsp;</xml>",
        "<xml>\u0001</xml>", "<xml>\u0000</xml>", "<xml>\u001F</xml>", "<xml>\t</xml>", "<xml>\uD800</xml>", "<xml>\uDC00a</xml>", "<xml>\uFFFE</xml>",
        "<xml>\uFFFF</xml>", "<xml>😀 emoji 中文 العربية</xml>", "<xml><![CDATA[\u0001]]></xml>", "<xml><![CDATA[\uD83D]]></xml>", "<!-- \u0001 --><xml/>",
        "<xml a=\"1\">v</xml>", "<xml a='1' b=\"2\">v</xml>", "<xml a = \"1\" >v</xml>", "<xml a=\"1\"b=\"2\">v</xml>", "<xml a=\"1\" a=\"2\">v</xml>",
        "<xml a=1>v</xml>", "<xml a>v</xml>", "<xml a=\"<\">v</xml>", "<xml a=\"&lt;&amp;\">v</xml>", "<xml a=\"&bogus;\">v</xml>", "<xml a=\"1>v</xml>",
        "<xml a=\"\u0001\">v</xml>", "<xml a=\"&#0;\">v</xml>", "<xml/ >", "<xml / >", "<xml//>", "<xml a=\"1\"/>", "<xml><a/><b /></xml>",
        "<中文>值</中文>", "<xml><名字>值</名字></xml>", "<1xml/>", "<-xml/>", "<.xml/>", "<x-m.l_1/>", "<_x/>", "<xml><a.b>1</a.b></xml>", "< xml/>",
        "<xml\t\n>a</xml\n>", "<xml><a>1</a\n></xml>",
        "<a><a><a><a><a><a><a><a><a>x</a></a></a></a></a></a></a></a></a>", "<a><a><a><a><a><a><a><a><a><a>x</a></a></a></a></a></a></a></a></a></a>",
        "<xml><Content><![CDATA[]]></Content></xml>", "<xml><Content>  </Content></xml>", "<xml><Content> <![CDATA[a]]> </Content></xml>",
    ];

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void EdgeCase_IsReadAsXmlReaderReadsIt(string xml) => AssertSameAsOracle(xml);

    [Fact]
    public void WeComSamplesAndCorpusBodies_AreReadAsXmlReaderReadsThem()
    {
        var documents = new List<string> { Message, Card, Envelope };
        documents.AddRange(WeComEnvelopeCorpus.Cases.Values.Where(c => c.Method == "POST").Select(c => c.Build(1_764_216_000).Body));
        documents.AddRange(TextPayloads.All.Values.Select(text => $"<xml><Content><![CDATA[{text}]]></Content><Other>{text}</Other></xml>"));

        foreach (var xml in documents)
        {
            if (xml.Contains("xmlns", StringComparison.Ordinal))
            {
                // XInclude and other namespaced hostility: refused here, whatever XmlReader makes of it.
                Assert.Equal("refused", Read(xml));
            }
            else
            {
                AssertSameAsOracle(xml);
            }
        }
    }

    [Fact]
    public void RandomMutationsOfRealCallbacks_AreReadAsXmlReaderReadsThem()
    {
        // Pieces that matter to an XML reader; no ':' and no non-BMP names, where this reader is deliberately stricter.
        string[] pieces =
        [
            "<", ">", "/", "</", "/>", "&", ";", "&amp;", "&lt;", "&#65;", "&#x1;", "&bogus;", "]]>", "]]", "]", "<![CDATA[", "<!--", "-->", "--",
            "<?", "?>", "<?pi x?>", "<!DOCTYPE x>", "\"", "'", "=", " a=\"1\"", " ", "\t", "\r", "\n", "\r\n", "\u0001", "\uFFFE", "\uD800", "😀", "中",
            "xml", "Content", "a", "1", "<a>", "</a>", "<a/>", "<?xml version=\"1.0\"?>", "\uFEFF",
        ];
        string[] seeds =
        [
            Message, Card, Envelope, "<xml><a>1</a><b><![CDATA[2]]></b></xml>",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><!-- c --><xml><!-- d --><a x='1'>1&amp;2</a><?pi x?></xml>",
        ];
        var random = new Random(20261127);
        var disagreements = new List<string>();
        for (var i = 0; i < 50_000; i++)
        {
            var xml = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(xml.Length + 1);
                switch (random.Next(3))
                {
                    case 0:
                        xml.Insert(at, pieces[random.Next(pieces.Length)]);
                        break;
                    case 1 when at < xml.Length:
                        xml.Remove(at, Math.Min(random.Next(1, 12), xml.Length - at));
                        break;
                    default:
                        var from = random.Next(xml.Length);
                        var length = Math.Min(random.Next(1, 20), xml.Length - from);
                        xml.Insert(at, xml.ToString(from, length));
                        break;
                }
            }

            var text = xml.ToString();
            var ours = Read(text);
            if (ours != Oracle(text) && !(ours == "refused" && HasOddDeclaration(text)))
            {
                disagreements.Add(text);
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements, e.g.:\n{string.Join("\n---\n", disagreements.Take(3))}\nours: {Read(disagreements.FirstOrDefault() ?? "")}\nXmlReader: {Oracle(disagreements.FirstOrDefault() ?? "")}");
    }

    [Theory]
    [InlineData("<a:xml xmlns:a=\"urn:a\">v</a:xml>")]
    [InlineData("<xml xmlns=\"urn:a\">v</xml>")]
    [InlineData("<xml xml:lang=\"zh\">v</xml>")]
    public void Namespaces_AreRefused_ThoughXmlReaderReadsThem(string xml)
    {
        Assert.NotEqual("refused", Oracle(xml));
        Assert.Equal("refused", Read(xml));
    }

    [Fact]
    public void ATooLongDocument_IsRefused()
    {
        var xml = "<xml>" + new string('a', WeComXml.MaxCharactersInDocument) + "</xml>";

        Assert.Equal("refused", Read(xml));
        Assert.Equal("refused", Oracle(xml));
    }

    // Where this reader is stricter than XmlReader on purpose: a declaration whose version is not exactly 1.0 or
    // whose encoding is no encoding name (XmlReader lets "1.0x" and "utf 8" pass).
    private static bool HasOddDeclaration(string xml)
    {
        var version = Regex.Match(xml, "^<\\?xml\\s+version\\s*=\\s*([\"'])(.*?)\\1");
        var encoding = Regex.Match(xml, "^<\\?xml[^>]*?encoding\\s*=\\s*([\"'])(.*?)\\1");
        return (version.Success && version.Groups[2].Value != "1.0")
            || (encoding.Success && !Regex.IsMatch(encoding.Groups[2].Value, "^([A-Za-z][A-Za-z0-9._-]*)?$"));
    }

    private static void AssertSameAsOracle(string xml) => Assert.Equal(Oracle(xml), Read(xml));

    private static string Read(string xml)
    {
        try
        {
            return Describe(WeComXmlReader.Parse(xml));
        }
        catch (WeComCryptoException e) when (e.Error == WeComCryptoError.ParseXml)
        {
            return "refused";
        }
    }

    private static string Describe(WeComXmlNode node) =>
        node.Children.Count == 0
            ? $"{node.Name}={Escape(node.Value)}"
            : $"{node.Name}({string.Join(",", node.Children.Select(Describe))})";

    private static string Escape(string value) => string.Concat(value.Select(c => c < 0x20 || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    // The reading the host did before: XmlReader into the same tree (children, or concatenated text and CDATA).
    private static string Oracle(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), OracleSettings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                return "refused";
            }

            var root = OracleElement(reader, 0);
            while (reader.Read())
            {
            }

            return root ?? "refused";
        }
        catch (XmlException)
        {
            return "refused";
        }
    }

    private static string? OracleElement(XmlReader reader, int depth)
    {
        if (depth > WeComXmlReader.MaxDepth)
        {
            return null;
        }

        var name = reader.LocalName;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return $"{name}=";
        }

        var text = new StringBuilder();
        var children = new List<string>();
        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var child = OracleElement(reader, depth + 1);
                    if (child is null)
                    {
                        return null;
                    }

                    children.Add(child);
                    continue;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    break;
                case XmlNodeType.None:
                    return null;
            }

            reader.Read();
        }

        reader.Read();
        return children.Count == 0 ? $"{name}={Escape(text.ToString())}" : $"{name}({string.Join(",", children)})";
    }
}
