using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Conversations;
using static Linping.CppccBot.Tests.Channels.WeCom.WeComVectors;

namespace Linping.CppccBot.Tests.Channels.WeCom;

public sealed class WeComXmlTests
{
    // ---- Envelope ---------------------------------------------------------------------------------------------

    [Fact]
    public void ParseEnvelope_ReadsFields_InAnyOrderAndWithoutCdata()
    {
        var envelope = WeComXml.ParseEnvelope("<xml>\n  <AgentID>218</AgentID>\n  <Encrypt>abc+/=</Encrypt>\n  <ToUserName><![CDATA[corp]]></ToUserName>\n</xml>");

        Assert.Equal("abc+/=", envelope.Encrypt);
        Assert.Equal("corp", envelope.ToUserName);
        Assert.Equal("218", envelope.AgentId);
    }

    [Fact]
    public void ParseEnvelope_FailsWithParseError_WhenEncryptIsMissing() =>
        AssertParseError(() => WeComXml.ParseEnvelope("<xml><ToUserName><![CDATA[corp]]></ToUserName><AgentID>1</AgentID></xml>"));

    [Fact]
    public void ParseEnvelope_FailsWithParseError_WhenEncryptIsEmpty() =>
        AssertParseError(() => WeComXml.ParseEnvelope("<xml><Encrypt><![CDATA[]]></Encrypt></xml>"));

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<xml><Encrypt>abc</Encrypt>")]
    [InlineData("<xml><Encrypt>abc</Encrypt></xml><xml/>")]
    [InlineData("<xml><Encrypt>abc</Encrypt></XML>")]
    [InlineData("<xml><Encrypt>a&bogus;</Encrypt></xml>")]
    [InlineData("{\"encrypt\":\"abc\"}")]
    public void ParseEnvelope_FailsWithParseError_ForMalformedXml(string xml) =>
        AssertParseError(() => WeComXml.ParseEnvelope(xml));

    [Fact]
    public void ParseEnvelope_RefusesDoctype()
    {
        const string Xml = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ELEMENT xml ANY>]><xml><Encrypt>abc</Encrypt></xml>";

        AssertParseError(() => WeComXml.ParseEnvelope(Xml));
    }

    [Fact]
    public void ParseEnvelope_RefusesExternalEntity()
    {
        const string Xml = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&xxe;</Encrypt></xml>";

        AssertParseError(() => WeComXml.ParseEnvelope(Xml));
    }

    [Fact]
    public void ParseMessage_RefusesBillionLaughs()
    {
        const string Xml = """
            <?xml version="1.0"?>
            <!DOCTYPE xml [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol9;</Content></xml>
            """;

        AssertParseError(() => WeComXml.ParseMessage(Xml));
    }

    [Fact]
    public void ParseMessage_RefusesDocumentsOverTheSizeCap()
    {
        var xml = "<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>"
            + new string('x', WeComXml.MaxCharactersInDocument) + "</Content></xml>";

        AssertParseError(() => WeComXml.ParseMessage(xml));
    }

    [Fact]
    public void ParseMessage_RefusesDeepNesting()
    {
        var xml = "<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
            + string.Concat(Enumerable.Repeat("<a>", 50)) + string.Concat(Enumerable.Repeat("</a>", 50)) + "</xml>";

        AssertParseError(() => WeComXml.ParseMessage(xml));
    }

    [Fact]
    public void ParseMessage_ExceptionDoesNotQuoteTheDocument()
    {
        var error = Assert.Throws<WeComCryptoException>(() => WeComXml.ParseMessage("<xml><Content>机密内容</Contnt></xml>"));

        Assert.DoesNotContain("机密", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Contnt", error.ToString(), StringComparison.Ordinal);
    }

    // ---- Messages ---------------------------------------------------------------------------------------------

    [Fact]
    public void ParseMessage_ReadsText_ForOfficialVectorA2WithNewlinesBetweenElements()
    {
        var message = WeComXml.ParseMessage(A2Plaintext);

        Assert.Equal(CorpIdA, message.ToUserName);
        Assert.Equal("mycreate", message.FromUserName);
        Assert.Equal(1409659813, message.CreateTime);
        Assert.Equal("text", message.MsgType);
        Assert.Equal("hello", message.Content);
        Assert.Equal("4561255354251345929", message.MsgId);
        Assert.Equal("218", message.AgentId);
        Assert.Null(message.Event);
    }

    [Fact]
    public void ParseMessage_ReadsPlainTextElements_ForOfficialVectorB2()
    {
        var message = WeComXml.ParseMessage(B2Plaintext);

        Assert.Equal("ChenJiaShun", message.FromUserName);
        Assert.Equal("你好", message.Content);
        Assert.Equal("1456453720", message.MsgId);
        Assert.Equal("1000002", message.AgentId);
        Assert.Equal(1476422779, message.CreateTime);
    }

    [Fact]
    public void ParseMessage_ReadsChineseText_ForVectorV1()
    {
        var message = WeComXml.ParseMessage(V1Plaintext);

        Assert.Equal("zhangsan", message.FromUserName);
        Assert.Equal("报名 请你来协商", message.Content);
        Assert.Equal("7301234567890123456", message.MsgId);
    }

    [Fact]
    public void ParseMessage_KeepsContentWhitespaceAndEntities()
    {
        var message = WeComXml.ParseMessage("<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>  a &amp; b &lt;c&gt; <![CDATA[ d ]]> </Content></xml>");

        Assert.Equal("  a & b <c>  d  ", message.Content);
    }

    [Fact]
    public void ParseMessage_ReadsEnterAgent_ForVectorV2()
    {
        var message = WeComXml.ParseMessage(V2Plaintext);

        Assert.Equal("event", message.MsgType);
        Assert.Equal("enter_agent", message.Event);
        Assert.Equal(string.Empty, message.EventKey);
        Assert.Null(message.MsgId);
        Assert.Equal("1000002", message.AgentId);
    }

    [Theory]
    [InlineData("click")]
    [InlineData("CLICK")]
    [InlineData("Click")]
    public void ParseMessage_LowerCasesEvent_ForMenuClick(string eventName)
    {
        var message = WeComXml.ParseMessage(V3Plaintext.Replace("[click]", $"[{eventName}]", StringComparison.Ordinal));

        Assert.Equal("click", message.Event);
        Assert.Equal("MEETING_SIGNUP", message.EventKey);
    }

    [Fact]
    public void ParseMessage_ReadsCardFields_ForTemplateCardEventV4()
    {
        var message = WeComXml.ParseMessage(V4Plaintext);

        Assert.Equal("template_card_event", message.Event);
        Assert.Equal("signup_yes", message.EventKey);
        Assert.Equal("meeting-42", message.TaskId);
        Assert.Equal("button_interaction", message.CardType);
        Assert.Equal("RESPONSE_CODE_SAMPLE", message.ResponseCode);
        Assert.Equal(1700000003, message.CreateTime);
        Assert.Empty(message.SelectedItems);
    }

    [Fact]
    public void ParseMessage_ReadsSelectedItems_ForDocTemplateCardSample()
    {
        // The 90240 sample as quoted in §8.2 of the protocol notes.
        const string Xml = "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName><CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[key111]]></EventKey><TaskId><![CDATA[taskid111]]></TaskId><CardType><![CDATA[text_notice]]></CardType><ResponseCode><![CDATA[ResponseCode]]></ResponseCode><AgentID>1</AgentID><SelectedItems><SelectedItem><QuestionKey><![CDATA[QuestionKey1]]></QuestionKey><OptionIds><OptionId><![CDATA[OptionId1]]></OptionId><OptionId><![CDATA[OptionId2]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>";

        var message = WeComXml.ParseMessage(Xml);

        var item = Assert.Single(message.SelectedItems);
        Assert.Equal("QuestionKey1", item.QuestionKey);
        Assert.Equal(["OptionId1", "OptionId2"], item.OptionIds);
        Assert.Equal("taskid111", message.TaskId);
    }

    [Fact]
    public void ParseMessage_ReadsImage()
    {
        var message = WeComXml.ParseMessage("<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1700000010</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://example.invalid/p.jpg]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId><MsgId>1234567890123456</MsgId><AgentID>1</AgentID></xml>");

        Assert.Equal("image", message.MsgType);
        Assert.Equal("media_id", message.MediaId);
        Assert.Equal("http://example.invalid/p.jpg", message.PicUrl);
    }

    [Theory]
    [InlineData("<xml><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime></xml>")]
    [InlineData("<xml><FromUserName>u</FromUserName><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><FromUserName>u</FromUserName><CreateTime>-1</CreateTime><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><FromUserName>u</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><FromUserName>u</FromUserName><CreateTime>99999999999999999</CreateTime><MsgType>text</MsgType></xml>")]
    public void ParseMessage_FailsWithParseError_WhenRequiredFieldsAreMissingOrInvalid(string xml) =>
        AssertParseError(() => WeComXml.ParseMessage(xml));

    // ---- Replies ----------------------------------------------------------------------------------------------

    [Fact]
    public void BuildTextReply_MatchesSpecPlaintext_ForVectorV6() =>
        Assert.Equal(V6Plaintext, WeComXml.BuildTextReply("zhangsan", CorpIdA, 1700000005, "已收到：报名 请你来协商"));

    [Theory]
    [InlineData("a]]>b")]
    [InlineData("]]>")]
    [InlineData("]]]]>>")]
    [InlineData("<xml>&amp;</xml>")]
    [InlineData("]]></Content><MsgType>image</MsgType><Content><![CDATA[")]
    public void BuildTextReply_KeepsContentInsideCdata(string content)
    {
        var reply = WeComXml.BuildTextReply("zhangsan", CorpIdA, 1700000005, content);
        var parsed = WeComXml.ParseMessage(reply);

        Assert.Equal(content, parsed.Content);
        Assert.Equal("text", parsed.MsgType);
        Assert.Equal("zhangsan", parsed.ToUserName);
        Assert.Equal(CorpIdA, parsed.FromUserName);
    }

    [Fact]
    public void BuildTextReply_DropsCharactersXmlCannotCarry()
    {
        var reply = WeComXml.BuildTextReply("zhangsan", CorpIdA, 1, "a\u0001b\uD800c🙂");

        Assert.Equal("abc🙂", WeComXml.ParseMessage(reply).Content);
    }

    // ---- Mapping to InboundMessage ----------------------------------------------------------------------------

    [Fact]
    public void ToInboundMessage_MapsText()
    {
        var inbound = WeComXml.ParseMessage(V1Plaintext).ToInboundMessage();

        Assert.Equal(ChannelNames.WeCom, inbound.Channel);
        Assert.Equal("zhangsan", inbound.UserId);
        Assert.Equal("zhangsan", inbound.ConversationId);
        Assert.Equal(InboundKind.Text, inbound.Kind);
        Assert.Equal("报名 请你来协商", inbound.Text);
        Assert.Equal("msg:7301234567890123456", inbound.DeliveryId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), inbound.SentAt);
        Assert.False(inbound.IsGroup);
    }

    [Fact]
    public void ToInboundMessage_MapsEnterAgentEvent()
    {
        var inbound = WeComXml.ParseMessage(V2Plaintext).ToInboundMessage();

        Assert.Equal(InboundKind.Event, inbound.Kind);
        Assert.Equal("enter_agent", inbound.EventName);
        Assert.Equal(string.Empty, inbound.EventKey);
        Assert.Null(inbound.Text);
        Assert.Equal("evt:zhangsan|1700000001|enter_agent||", inbound.DeliveryId);
    }

    [Fact]
    public void ToInboundMessage_MapsUpperCaseClickEvent()
    {
        var inbound = WeComXml.ParseMessage(V3Plaintext.Replace("[click]", "[CLICK]", StringComparison.Ordinal)).ToInboundMessage();

        Assert.Equal(InboundKind.Event, inbound.Kind);
        Assert.Equal("click", inbound.EventName);
        Assert.Equal("MEETING_SIGNUP", inbound.EventKey);
        Assert.Equal("evt:zhangsan|1700000002|click|MEETING_SIGNUP|", inbound.DeliveryId);
    }

    [Fact]
    public void ToInboundMessage_MapsTemplateCardEvent()
    {
        var inbound = WeComXml.ParseMessage(V4Plaintext).ToInboundMessage();

        Assert.Equal(InboundKind.Event, inbound.Kind);
        Assert.Equal("template_card_event", inbound.EventName);
        Assert.Equal("signup_yes", inbound.EventKey);
        Assert.Equal("meeting-42", inbound.TaskId);
        Assert.Equal("evt:zhangsan|1700000003|template_card_event|signup_yes|meeting-42", inbound.DeliveryId);
    }

    [Theory]
    [InlineData("image")]
    [InlineData("voice")]
    [InlineData("video")]
    [InlineData("location")]
    [InlineData("link")]
    [InlineData("file")]
    public void ToInboundMessage_MapsOtherTypesToUnsupported(string msgType)
    {
        var xml = $"<xml><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1700000010</CreateTime><MsgType><![CDATA[{msgType}]]></MsgType><MsgId>42</MsgId></xml>";

        var inbound = WeComXml.ParseMessage(xml).ToInboundMessage();

        Assert.Equal(InboundKind.Unsupported, inbound.Kind);
        Assert.Equal(msgType, inbound.UnsupportedType);
        Assert.Null(inbound.Text);
        Assert.Equal("msg:42", inbound.DeliveryId);
    }

    [Fact]
    public void DeliveryId_IsEqualForRedeliveries_AndDiffersBetweenEvents()
    {
        var first = WeComXml.ParseMessage(V4Plaintext);
        var redelivered = WeComXml.ParseMessage(V4Plaintext);
        var otherButton = WeComXml.ParseMessage(V4Plaintext.Replace("signup_yes", "signup_no", StringComparison.Ordinal));
        var otherTask = WeComXml.ParseMessage(V4Plaintext.Replace("meeting-42", "meeting-43", StringComparison.Ordinal));

        Assert.Equal(first.DeliveryId, redelivered.DeliveryId);
        Assert.NotEqual(first.DeliveryId, otherButton.DeliveryId);
        Assert.NotEqual(first.DeliveryId, otherTask.DeliveryId);
    }

    [Fact]
    public void DeliveryId_UsesMsgId_EvenWhenEventFieldsArePresent()
    {
        var message = new WeComCallbackMessage { FromUserName = "u", MsgType = "text", CreateTime = 1, MsgId = "4561255354251345929", Event = "click" };

        Assert.Equal("msg:4561255354251345929", message.DeliveryId);
    }

    private static void AssertParseError(Action action)
    {
        var error = Assert.Throws<WeComCryptoException>(action);
        Assert.Equal(WeComCryptoError.ParseXml, error.Error);
        Assert.Equal(-40002, error.Code);
    }
}
