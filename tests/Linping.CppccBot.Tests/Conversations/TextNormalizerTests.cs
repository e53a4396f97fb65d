using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Tests.Conversations;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("帮助！", "帮助")]
    [InlineData("  查提案１２号 ", "查提案12号")]
    [InlineData("取消吧", "取消")]
    [InlineData("ＨＥＬＰ", "HELP")]
    [InlineData("帮我看看12 41号提案", "帮我看看12、41号提案")]
    [InlineData("报名 1", "报名1")]
    public void Normalize_GivesOneFormForManyWaysOfTyping(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("十二", 12)]
    [InlineData("二十六", 26)]
    [InlineData("一百零五", 105)]
    [InlineData("两", 2)]
    [InlineData("一二", 12)]
    [InlineData("二七", 27)]
    [InlineData("零零四一", 41)]
    public void ParseChineseNumber_ReadsChineseNumerals(string input, int expected) =>
        Assert.Equal(expected, TextNormalizer.ParseChineseNumber(input));
}
