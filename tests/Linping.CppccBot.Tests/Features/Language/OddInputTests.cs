using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Language;

/// <summary>
/// Odd input at the top level and inside each feature's dialogs gets an answer, never the error boundary, and stores
/// nothing by accident: emoji, mixed scripts, control characters, markup, SQL, very long and empty-looking texts.
/// </summary>
public sealed class OddInputTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    public static TheoryData<string> OddTexts() =>
    [
        "😀😀😀",
        "报名😀生物医药",
        "<script>alert(1)</script>",
        "'; DROP TABLE Members; --",
        "查提案 ' OR 1=1 --",
        "第99999999999999999999号",
        "报名 999999999999",
        "\u0000\u0001\u0007",
        "   ",
        "ｈｅｌｌｏ　ｗｏｒｌｄ",
        "Ѱ Ω ب ह 한국어 日本語",
        new string('长', 5000),
        "报名" + new string('会', 3000),
        "提案" + string.Concat(Enumerable.Repeat("养老", 1000)),
        "%s%s%s{0}{1}",
        "\u202Eevil\u202C",
    ];

    [Theory]
    [MemberData(nameof(OddTexts))]
    public async Task OddText_AtTheTopLevel_GetsAnAnswer(string text)
    {
        var replies = await _host.Member("zhouwei").SendAsync(text);

        Assert.NotEmpty(replies);
        Assert.All(replies, r => Assert.DoesNotContain("出了点问题", r, StringComparison.Ordinal));
    }

    /// <summary>Invisible characters pasted or typed into a request (a zero-width space, joiner, soft hyphen …) change nothing.</summary>
    [Theory]
    [InlineData("我的提案", "我的\u200b提案")]
    [InlineData("我的提案", "我的\u200c提案\u200d")]
    [InlineData("我的提案", "\ufeff我的\u00ad提案\u2060")]
    [InlineData("我的提案", "我的\u2061\u2062\u2063\u2064提案\u180e")]
    [InlineData("会议", "会议\u200d")]
    [InlineData("最近有什么会议", "最近\u200b有什么\u200d会议")]
    [InlineData("帮助", "帮\u00ad助")]
    public async Task InvisibleCharacters_InARequest_ChangeNothing(string plain, string withInvisible)
    {
        var member = _host.Member("zhouwei");

        var expected = await member.SendAsync(plain);
        var actual = await member.SendAsync(withInvisible);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("我要提交社情民意")]
    [InlineData("常委会请假")]
    [InlineData("报名协商")]
    [InlineData("提案 临平")]
    public async Task OddTexts_InsideEachDialog_GetAnswers(string opening)
    {
        var member = _host.Member("zhouwei");
        await member.SendAsync(opening);

        foreach (var text in OddTexts().Select(r => r.Data))
        {
            var replies = await member.SendAsync(text);
            Assert.All(replies, r => Assert.DoesNotContain("出了点问题", r, StringComparison.Ordinal));
        }
    }
}
