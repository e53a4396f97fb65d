using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Conversations;

public sealed class IntentRecognizerTests
{
    private readonly ChineseIntentRecognizer _recognizer = new();

    /// <summary>The members' phrasings of the fixtures (tests/…/Fixtures/utterances.tsv): utterance, intent, slot.</summary>
    public static TheoryData<string, string, string> Utterances()
    {
        var data = new TheoryData<string, string, string>();
        var path = Path.Combine(BotHostFactory.RepositoryRoot, "tests", "Linping.CppccBot.Tests", "Fixtures", "utterances.tsv");
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0))
        {
            var columns = line.Split('\t');
            data.Add(columns[0], columns[1], columns.Length > 2 ? columns[2] : string.Empty);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Utterances))]
    public void Recognize_FindsTheIntentAndSlot_OfTheUtteranceTable(string utterance, string intent, string slot)
    {
        var recognized = _recognizer.Recognize(utterance);

        Assert.Equal(intent, recognized.Name);
        if (slot.Length > 0)
        {
            Assert.NotNull(recognized.Slot);
            Assert.Contains(slot, recognized.Slot, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("查提案１２号", IntentNames.ProposalByNumber, "12")]
    [InlineData("提案第十二号", IntentNames.ProposalByNumber, "12")]
    [InlineData("第0012号提案怎么样了？", IntentNames.ProposalByNumber, "12")]
    [InlineData("帮 助", IntentNames.Help, null)]
    [InlineData("HELP", IntentNames.Help, null)]
    [InlineData("在吗？", IntentNames.Help, null)]
    [InlineData("最近有啥会", IntentNames.ListMeetings, null)]
    [InlineData("我报名的会议", IntentNames.MySignUps, null)]
    [InlineData("今天天气真不错", IntentNames.None, null)]
    [InlineData("报名 2", IntentNames.SignUp, "2")]
    [InlineData("取消候补大运河", IntentNames.CancelSignUp, "大运河")]
    [InlineData("大运河视察我请个假", IntentNames.RequestLeave, "大运河")]
    [InlineData("大运河视察我去不了", IntentNames.CancelSignUp, "大运河")]
    [InlineData("我提了几个提案", IntentNames.MyProposals, null)]
    [InlineData("我的信息采用了没有", IntentNames.MyOpinions, null)]
    [InlineData("提交社情名意", IntentNames.SubmitOpinion, null)]
    [InlineData("帮组", IntentNames.Help, null)]
    [InlineData("天气预报明天下雨", IntentNames.None, null)]
    [InlineData("明天的会我能不能参加", IntentNames.MySignUps, null)]
    [InlineData("明天的会报名了吗？", IntentNames.MySignUps, null)]
    [InlineData("明天的会我要参加吗", IntentNames.MySignUps, null)]
    [InlineData("可以报名的会有哪些", IntentNames.ListMeetings, null)]
    [InlineData("批准", IntentNames.ReviewLeave, null)]
    [InlineData("0012", IntentNames.ProposalByNumber, "12")]
    [InlineData("提案编号0041", IntentNames.ProposalByNumber, "41")]
    [InlineData("查一下编号0041的提案", IntentNames.ProposalByNumber, "41")]
    [InlineData("案号：12", IntentNames.ProposalByNumber, "12")]
    [InlineData("提案#12", IntentNames.ProposalByNumber, "12")]
    [InlineData("＃12", IntentNames.ProposalByNumber, "12")]
    [InlineData("No.12提案", IntentNames.ProposalByNumber, "12")]
    [InlineData("提案no12进度", IntentNames.ProposalByNumber, "12")]
    [InlineData("我的提按", IntentNames.MyProposals, null)]
    [InlineData("大运河的视察算我一个", IntentNames.SignUp, "大运河")]
    [InlineData("大运河那个视察我也去", IntentNames.SignUp, "大运河")]
    [InlineData("报明大运河", IntentNames.SignUp, "大运河")]
    [InlineData("取消报明 生物医药", IntentNames.CancelSignUp, "生物医药")]
    [InlineData("第二十七次常委会我能去了", IntentNames.WithdrawLeave, null)]
    [InlineData("常委会我能去吗", IntentNames.MySignUps, null)]
    [InlineData("查提按12号", IntentNames.ProposalByNumber, "12")]
    [InlineData("会议编号3", IntentNames.ListMeetings, null)]
    [InlineData("大运河那个我参加不了", IntentNames.CancelSignUp, "大运河")]
    [InlineData("常委会我不能参加了", IntentNames.CancelSignUp, "常委会")]
    [InlineData("明天的会我来不了", IntentNames.CancelSignUp, "明天")]
    [InlineData("我的请假批了没有", IntentNames.MySignUps, null)]
    [InlineData("请假审批", IntentNames.ReviewLeave, null)]
    [InlineData("批准 1", IntentNames.ApproveLeave, "1")]
    [InlineData("批准 1、2", IntentNames.ApproveLeave, "1、2")]
    [InlineData("批准1-3", IntentNames.ApproveLeave, "1-3")]
    [InlineData("全部批准", IntentNames.ApproveLeave, "")]
    [InlineData("批准全部", IntentNames.ApproveLeave, "全部")]
    [InlineData("全部不批准 本次需全体出席", IntentNames.RejectLeave, "本次需全体出席")]
    [InlineData("不批准 1、2 需全体出席", IntentNames.RejectLeave, "1、2需全体出席")]
    [InlineData("都同意", IntentNames.None, null)]
    [InlineData("不批准 2 原因：会议重要", IntentNames.RejectLeave, "2原因:会议重要")]
    [InlineData("不批准 1 本次会议需全体出席", IntentNames.RejectLeave, "1本次会议需全体出席")]
    [InlineData("驳回1 反映情况不实", IntentNames.RejectLeave, "1反映情况不实")]
    [InlineData("取消请假", IntentNames.WithdrawLeave, null)]
    [InlineData("我想撤回请假", IntentNames.WithdrawLeave, null)]
    [InlineData("常委会我不请假了", IntentNames.WithdrawLeave, null)]
    [InlineData("谢谢！", IntentNames.Thanks, null)]
    [InlineData("好的，辛苦了", IntentNames.Thanks, null)]
    [InlineData("收到", IntentNames.Thanks, null)]
    public void Recognize_UnderstandsCommonVariants(string utterance, string intent, string? slot)
    {
        var recognized = _recognizer.Recognize(utterance);

        Assert.Equal(intent, recognized.Name);
        Assert.Equal(slot, recognized.Slot);
    }

    [Theory]
    [InlineData("取消", IntentNames.Cancel)]
    [InlineData("算了不弄了", IntentNames.Cancel)]
    [InlineData("取消！", IntentNames.Cancel)]
    [InlineData("帮助", IntentNames.Help)]
    [InlineData("建议取消老城区停车收费", IntentNames.None)]
    [InlineData("需要帮助困难群众", IntentNames.None)]
    public void RecognizeInterrupt_TakesOnlyShortCommands(string text, string intent) =>
        Assert.Equal(intent, _recognizer.RecognizeInterrupt(text).Name);

    [Theory]
    [InlineData("click", "MEETINGS", IntentNames.ListMeetings, null)]
    [InlineData("click", "OPINION_SUBMIT", IntentNames.SubmitOpinion, null)]
    [InlineData("template_card_event", "signup:MT-2027-01", IntentNames.SignUp, "MT-2027-01")]
    [InlineData("template_card_event", "leave:MT-2027-04", IntentNames.RequestLeave, "MT-2027-04")]
    [InlineData("template_card_event", "cancel:MT-2027-02", IntentNames.CancelSignUp, "MT-2027-02")]
    [InlineData("template_card_event", "signup_yes", IntentNames.None, null)]
    [InlineData("enter_agent", null, IntentNames.Greeting, null)]
    [InlineData("LOCATION", null, IntentNames.None, null)]
    public void RecognizeEvent_MapsMenuKeysAndCardButtons(string eventName, string? key, string intent, string? slot)
    {
        var message = new InboundMessage
        {
            Channel = ChannelNames.WeCom,
            UserId = "u",
            ConversationId = "u",
            DeliveryId = "d",
            Kind = InboundKind.Event,
            EventName = eventName.ToLowerInvariant(),
            EventKey = key,
        };

        var recognized = _recognizer.RecognizeEvent(message);

        Assert.Equal(intent, recognized.Name);
        Assert.Equal(slot, recognized.Slot);
    }
}
