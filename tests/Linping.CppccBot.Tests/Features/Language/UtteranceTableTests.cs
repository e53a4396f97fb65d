using System.Text.RegularExpressions;
using Linping.CppccBot.Tests.Conversations;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linping.CppccBot.Tests.Features.Language;

/// <summary>
/// The members' phrasings of the fixtures (Fixtures/utterances.tsv) through the real channel paths against the
/// demo data: each reaches its intent (read from the host's own turn log) and its slot shows in the answer (the
/// meeting, proposal or topic it names). Every row runs on a fresh host, as member 徐海涛 (xuhaitao, M007), on both
/// channels: the encrypted WeCom callback and the signed DingTalk callback (as dt-xuhaitao).
/// </summary>
public sealed partial class UtteranceTableTests
{
    /// <summary>What the answer to each row must show: the slot's meeting, proposal or topic, or the feature's own words.</summary>
    private static readonly Dictionary<string, string> ExpectedInAnswer = new(StringComparer.Ordinal)
    {
        ["帮助"] = "我可以帮您",
        ["你好"] = "我可以帮您",
        ["你能做什么"] = "我可以帮您",
        ["菜单"] = "我可以帮您",
        ["最近有什么会议"] = "1. “请你来协商”：小微园区安全管理",
        ["有哪些活动可以报名"] = "1. “请你来协商”：小微园区安全管理",
        ["这个月的会议安排"] = "1. “请你来协商”：小微园区安全管理",
        ["我要报名请你来协商"] = "报名成功！【“请你来协商”：小微园区安全管理】",
        ["报名小微园区安全管理那个协商会"] = "报名成功！【“请你来协商”：小微园区安全管理】",
        ["报名 MT-2027-02"] = "报名成功！【以新质生产力助推生物医药产业高质量发展专题协商会】",
        ["我参加生物医药专题协商会"] = "报名成功！【以新质生产力助推生物医药产业高质量发展专题协商会】",
        ["取消报名小微园区安全管理"] = "“请你来协商”：小微园区安全管理",
        ["我不去大运河视察了"] = "大运河临平段文化遗产保护视察",
        ["常委会我请个假，单位有事"] = "区政协一届常委会第二十六次会议",
        ["第二十六次常委会请假 因病"] = "区政协一届常委会第二十六次会议",
        ["我报名了哪些会"] = "区政协一届常委会第二十六次会议",
        ["我的会议"] = "区政协一届常委会第二十六次会议",
        ["查提案12号"] = "一届五次第0012号《关于高水平建设临平数智城的建议》",
        ["第0027号提案办得怎么样了"] = "一届五次第0027号《关于加快大运河国家文化公园临平段建设的建议》",
        ["一届五次第0035号"] = "一届五次第0035号《关于完善居家养老服务照料中心功能的建议》",
        ["41号提案进度"] = "一届五次第0041号《关于推进小微园区安全管理的建议》",
        ["数智城那个提案到哪一步了"] = "一届五次第0012号",
        ["搜索提案 养老"] = "一届五次第0035号",
        ["有没有关于电动自行车的提案"] = "一届五次第0058号",
        ["我的提案"] = "一届五次第0058号",
        ["我提的提案都办完了吗"] = "一届五次第0058号",
        ["我要提交社情民意"] = "第1步：请发送标题",
        ["反映一条社情民意"] = "第1步：请发送标题",
        ["我想报送一条信息，关于小区停车难"] = "关于小区停车难",
        ["我的社情民意"] = "您还没有报送过社情民意信息",
        ["我报的信息被采用了吗"] = "您还没有报送过社情民意信息",
        ["取消"] = "当前没有正在办理的事项",
        ["算了不弄了"] = "当前没有正在办理的事项",
    };

    public static TheoryData<string, string, string> Rows() => IntentRecognizerTests.Utterances();

    /// <summary>The table's rows on every channel: one table, both channels.</summary>
    public static TheoryData<string, string, string, string> RowsOnEveryChannel()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var channel in ChannelChat.Channels)
        {
            foreach (var row in Rows())
            {
                rows.Add(channel, row.Data.Item1, row.Data.Item2, row.Data.Item3);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(RowsOnEveryChannel))]
    public async Task EachPhrasing_ReachesItsIntent_AndItsSlotShowsInTheAnswer(string channel, string utterance, string intent, string slot)
    {
        await using var chat = await ChannelChat.StartAsync(channel);

        var answer = await chat.SayAsync("xuhaitao", utterance);

        Assert.Equal(intent, RecognizedIntent(chat));
        Assert.True(ExpectedInAnswer.ContainsKey(utterance), $"The table has a new row \"{utterance}\": add what its answer must show.");
        Assert.Contains(ExpectedInAnswer[utterance], answer, StringComparison.Ordinal);
        Assert.DoesNotContain("出了点问题", answer, StringComparison.Ordinal);
        if (slot.Length > 0 && !slot.StartsWith("MT-", StringComparison.Ordinal))
        {
            // A meeting id shows as its title (checked above); a proposal number as 第00NN号; words as themselves.
            var shown = int.TryParse(slot, System.Globalization.CultureInfo.InvariantCulture, out var number) ? $"第{number:D4}号" : slot;
            Assert.Contains(shown, answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryRowOfTheTable_HasAnExpectedAnswer() =>
        Assert.Equal(
            Rows().Select(r => r.Data.Item1).Order(StringComparer.Ordinal),
            ExpectedInAnswer.Keys.Order(StringComparer.Ordinal));

    /// <summary>Beyond the table: colloquial, with typos, full-width digits and punctuation, extra words.</summary>
    private static readonly (string Utterance, string Intent, string Expected)[] Variants =
    [
        ("您好，请问这个机器人能干啥？", "Help", "我可以帮您"),
        ("查提案一二号", "ProposalByNumber", "一届五次第0012号《关于高水平建设临平数智城的建议》"),
        ("二七号提案", "ProposalByNumber", "一届五次第0027号《关于加快大运河国家文化公园临平段建设的建议》"),
        ("最近有啥会要开吗？", "ListMeetings", "小微园区安全管理"),
        ("下个月有什么活动", "ListMeetings", "小微园区安全管理"),
        ("近期会议", "ListMeetings", "小微园区安全管理"),
        ("帮我报个名，生物医药那个会", "SignUp", "生物医药"),
        ("报名ＭＴ－２０２７－０２", "SignUp", "生物医药"),
        ("我想参加大运河视察！", "SignUp", "大运河临平段文化遗产保护视察"),
        ("大运河视察我不参加了", "CancelSignUp", "大运河临平段文化遗产保护视察"),
        ("常委会那天我生病了去不了，请假", "RequestLeave", "区政协一届常委会第二十六次会议"),
        ("我都报了哪些会议？", "MySignUps", "区政协一届常委会第二十六次会议"),
        ("查一下１２号提案", "ProposalByNumber", "一届五次第0012号"),
        ("提案第十二号进展如何", "ProposalByNumber", "一届五次第0012号"),
        ("0041号提案现在什么情况", "ProposalByNumber", "一届五次第0041号"),
        ("关于养老服务的提案有吗", "ProposalSearch", "一届五次第0035号"),
        ("电动车消防那个提案", "ProposalSearch", "一届五次第0058号"),
        ("我提交的提案进度怎么样", "MyProposals", "一届五次第0058号"),
        ("我想反映个情况", "SubmitOpinion", "第1步：请发送标题"),
        ("提交社情民意信息！！", "SubmitOpinion", "第1步：请发送标题"),
        ("我之前报的社情民意怎么样了", "MyOpinions", "您还没有报送过社情民意信息"),
        ("报名情况 大运河", "MeetingRoster", "报名情况仅供会议组织人员查看"),
        ("看一下生物医药协商会的报名名单", "MeetingRoster", "报名情况仅供会议组织人员查看"),
        ("常委会参会情况怎么样", "MeetingRoster", "报名情况仅供会议组织人员查看"),
        ("评价提案", "EvaluateProposal", "您目前没有需要评价的提案"),
        ("评价 58 满意", "EvaluateProposal", "答复后才能评价"),
        ("今天中午吃什么", "None", "没太明白"),
        ("？？？", "Help", "我可以帮您"),
    ];

    public static TheoryData<string, string, string, string> VariantsOnEveryChannel()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var channel in ChannelChat.Channels)
        {
            foreach (var (utterance, intent, expected) in Variants)
            {
                rows.Add(channel, utterance, intent, expected);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(VariantsOnEveryChannel))]
    public async Task VariantsBeyondTheTable_ReachTheirIntent(string channel, string utterance, string intent, string expected)
    {
        await using var chat = await ChannelChat.StartAsync(channel);

        var answer = await chat.SayAsync("xuhaitao", utterance);

        Assert.Equal(intent, RecognizedIntent(chat));
        Assert.Contains(expected, answer, StringComparison.Ordinal);
    }

    private static string RecognizedIntent(ChannelChat chat)
    {
        var turn = chat.Logs.Lines.Last(l => l.Contains($"Turn on {chat.Channel}", StringComparison.Ordinal));
        return IntentInLog().Match(turn).Groups["intent"].Value;
    }

    [GeneratedRegex(@"[\[;]Intent=(?<intent>[^;\]]+)")]
    private static partial Regex IntentInLog();
}
