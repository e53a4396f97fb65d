using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

public sealed class DingTalkRobotMessageTests
{
    // The reference's representative text payload (dingtalk.md §1.2), with its masked values.
    private const string OneToOne = """
        {"conversationId":"cide****4g=","chatbotCorpId":"ding****6741","chatbotUserId":"$:LWC****ihY/",
         "msgId":"msgY****Pw==","senderNick":"张三","isAdmin":true,"senderStaffId":"042***297",
         "sessionWebhookExpiredTime":1695289035996,"createAt":1695283635765,"senderCorpId":"ding****6741",
         "conversationType":"1","senderId":"$:LWC****PA==",
         "sessionWebhook":"https://oapi.dingtalk.com/robot/sendBySession?session=79b48****4d4b",
         "robotCode":"ding****c6gk","msgtype":"text","text":{"content":"hello DingTalk!"},"openThreadId":"x","senderPlatform":"Win"}
        """;

    [Fact]
    public void Parse_ReadsTheReferencePayload()
    {
        var message = DingTalkRobotMessage.Parse(OneToOne);

        Assert.Equal("msgY****Pw==", message.MsgId);
        Assert.Equal("hello DingTalk!", message.Text);
        Assert.Equal("042***297", message.SenderStaffId);
        Assert.False(message.IsGroup);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1695289035996), message.SessionWebhookExpiresAt);
        var inbound = message.ToInboundMessage(DateTimeOffset.UnixEpoch);
        Assert.Equal(ChannelNames.DingTalk, inbound.Channel);
        Assert.Equal("042***297", inbound.UserId);
        Assert.Equal("042***297", inbound.ConversationId);
        Assert.Equal("msgY****Pw==", inbound.DeliveryId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1695283635765), inbound.SentAt);
    }

    [Fact]
    public void Parse_GroupMessage_StripsTheMention_AndKeysTheConversationByGroup()
    {
        var json = OneToOne.Replace("\"conversationType\":\"1\"", "\"conversationType\":\"2\",\"isInAtList\":true", StringComparison.Ordinal)
            .Replace("hello DingTalk!", " @临平政协助手 我的提案", StringComparison.Ordinal);

        var message = DingTalkRobotMessage.Parse(json);

        Assert.True(message.IsGroup);
        Assert.True(message.IsInAtList);
        Assert.Equal("我的提案", message.Text);
        var inbound = message.ToInboundMessage(DateTimeOffset.UnixEpoch);
        Assert.True(inbound.IsGroup);
        Assert.Equal("cide****4g=", inbound.ConversationId);
    }

    [Theory]
    [InlineData(" 帮助", "帮助")]
    [InlineData("@助手 帮助", "帮助")]
    [InlineData("＠助手\u2005@张三 查提案12号 ", "查提案12号")]
    [InlineData("@助手", "")]
    [InlineData("请 @张三 看一下", "请 @张三 看一下")]
    public void StripMentions_RemovesLeadingMentionsOnly(string text, string expected) =>
        Assert.Equal(expected, DingTalkRobotMessage.StripMentions(text));

    [Fact]
    public void Parse_Picture_IsUnsupported_AndAudio_UsesTheRecognition()
    {
        var picture = DingTalkRobotMessage.Parse(OneToOne.Replace("\"msgtype\":\"text\",\"text\":{\"content\":\"hello DingTalk!\"}", "\"msgtype\":\"picture\",\"content\":{\"downloadCode\":\"x\"}", StringComparison.Ordinal));
        var audio = DingTalkRobotMessage.Parse(OneToOne.Replace("\"msgtype\":\"text\",\"text\":{\"content\":\"hello DingTalk!\"}", "\"msgtype\":\"audio\",\"content\":{\"downloadCode\":\"x\",\"recognition\":\"我的提案\"}", StringComparison.Ordinal));

        Assert.Equal(InboundKind.Unsupported, picture.ToInboundMessage(DateTimeOffset.UnixEpoch).Kind);
        Assert.Equal("picture", picture.ToInboundMessage(DateTimeOffset.UnixEpoch).UnsupportedType);
        Assert.Equal("我的提案", audio.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"msgtype":"text","text":{"content":"x"},"conversationId":"c","senderStaffId":"u"}""")]
    [InlineData("""{"msgId":"m","text":{"content":"x"},"conversationId":"c","senderStaffId":"u"}""")]
    [InlineData("""{"msgId":"m","msgtype":"text","text":{"content":"x"},"senderStaffId":"u"}""")]
    [InlineData("""{"msgId":"m","msgtype":"text","text":{"content":"x"},"conversationId":"c"}""")]
    public void Parse_Refuses_WhatIsNotARobotMessage(string json) =>
        Assert.Throws<FormatException>(() => DingTalkRobotMessage.Parse(json));
}
