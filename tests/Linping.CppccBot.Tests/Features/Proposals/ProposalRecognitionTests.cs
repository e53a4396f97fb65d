using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>The recognizer's proposal rules beyond the utterance table.</summary>
public sealed class ProposalRecognitionTests
{
    private readonly ChineseIntentRecognizer _recognizer = new();

    [Theory]
    [InlineData("查一下第12号", IntentNames.ProposalByNumber, "12")]
    [InlineData("第十二号", IntentNames.ProposalByNumber, "12")]
    [InlineData("１２号", IntentNames.ProposalByNumber, "12")]
    [InlineData("2", IntentNames.ListPick, "2")]
    [InlineData("２", IntentNames.ListPick, "2")]
    [InlineData("看第2个", IntentNames.ListPick, "2")]
    [InlineData("第二个", IntentNames.ListPick, "2")]
    [InlineData("看看第3条", IntentNames.ListPick, "3")]
    [InlineData("我得提案", IntentNames.MyProposals, null)]
    [InlineData("我领衔的提案", IntentNames.MyProposals, null)]
    public void ProposalPhrasings_AreRecognised(string text, string intent, string? slot)
    {
        var recognized = _recognizer.Recognize(text);

        Assert.Equal(intent, recognized.Name);
        Assert.Equal(slot, recognized.Slot);
    }

    [Theory]
    [InlineData("41号提案满意")]
    [InlineData("对第12号提案的答复基本满意")]
    [InlineData("不满意")]
    [InlineData("我很满意")]
    [InlineData("提案满意度测评")]
    public void ALevelOrASurvey_OfAProposal_IsAnEvaluation(string text) =>
        Assert.Equal(IntentNames.EvaluateProposal, _recognizer.Recognize(text).Name);

    [Theory]
    [InlineData("12号提案满意吗？")]
    [InlineData("群众对小区物业很不满意")]
    [InlineData("我对这次会议的安排很满意")]
    [InlineData("社情民意信息采用情况满意")]
    public void SatisfactionAboutOtherThings_OrAQuestion_IsNoEvaluation(string text) =>
        Assert.NotEqual(IntentNames.EvaluateProposal, _recognizer.Recognize(text).Name);

    [Theory]
    [InlineData("第3号会议室在哪")]
    [InlineData("第二十六次常委会请假 因病")]
    [InlineData("12号的会议")]
    public void MeetingWordsWithNumbers_AreNotTakenForProposals(string text)
    {
        var recognized = _recognizer.Recognize(text);

        Assert.NotEqual(IntentNames.ProposalByNumber, recognized.Name);
        Assert.Null(ChineseIntentRecognizer.ListPick(recognized.Slot));
    }

    [Theory]
    [InlineData("#2", 2)]
    [InlineData("#12", 12)]
    [InlineData("养老", null)]
    [InlineData("#", null)]
    [InlineData(null, null)]
    public void ListPick_ReadsOnlyPickSlots(string? slot, int? pick) => Assert.Equal(pick, ChineseIntentRecognizer.ListPick(slot));
}
