using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Tests.Features.Opinions;

/// <summary>More ways members ask to report 社情民意 or to see their reports than the utterance table holds.</summary>
public sealed class OpinionRecognitionTests
{
    private readonly ChineseIntentRecognizer _recognizer = new();

    [Theory]
    [InlineData("我要提交社情民意", IntentNames.SubmitOpinion, null)]
    [InlineData("报个社情民意信息", IntentNames.SubmitOpinion, null)]
    [InlineData("我想反映一个情况", IntentNames.SubmitOpinion, null)]
    [InlineData("想反映点问题，关于菜市场噪音扰民", IntentNames.SubmitOpinion, "菜市场噪音扰民")]
    [InlineData("我想报送一条信息，关于查处违章建筑！", IntentNames.SubmitOpinion, "查处违章建筑")]
    [InlineData("提交社情民意　关于小区停车难。", IntentNames.SubmitOpinion, "小区停车难")]
    [InlineData("上报一条信息", IntentNames.SubmitOpinion, null)]
    [InlineData("我的社情民意", IntentNames.MyOpinions, null)]
    [InlineData("我报的信息被采用了吗？", IntentNames.MyOpinions, null)]
    [InlineData("查一下社情民意", IntentNames.MyOpinions, null)]
    [InlineData("社情民意到哪一步了", IntentNames.MyOpinions, null)]
    [InlineData("看看我报过的社情民意", IntentNames.MyOpinions, null)]
    [InlineData("我提交的社情民意有没有采用", IntentNames.MyOpinions, null)]
    public void Recognize_UnderstandsOpinionRequests(string utterance, string intent, string? slot)
    {
        var recognized = _recognizer.Recognize(utterance);

        Assert.Equal(intent, recognized.Name);
        Assert.Equal(slot, recognized.Slot);
    }

    [Theory]
    [InlineData("提案12号反映的问题解决了吗", IntentNames.ProposalByNumber)]
    [InlineData("最近有什么会议", IntentNames.ListMeetings)]
    public void Recognize_LeavesOtherRequestsToTheirFeatures(string utterance, string intent) =>
        Assert.Equal(intent, _recognizer.Recognize(utterance).Name);
}
