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
