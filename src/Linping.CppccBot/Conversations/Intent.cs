namespace Linping.CppccBot.Conversations;

/// <summary>What a member wants, as recognised from their words, with the one slot it carries (a title, a number ...).</summary>
public sealed record Intent(string Name, string? Slot = null)
{
    public static readonly Intent None = new(IntentNames.None);
}

/// <summary>Intent names. They match the <c>intent</c> column of the utterance table in the fixtures.</summary>
public static class IntentNames
{
    public const string None = "None";
    public const string Help = "Help";
    public const string Cancel = "Cancel";
    public const string Greeting = "Greeting";

    /// <summary>"谢谢", "辛苦了", "收到", "好的": thanks or an acknowledgement, outside any dialog.</summary>
    public const string Thanks = "Thanks";

    /// <summary>"转人工", "人工客服": the member asks for a person; the chat has none.</summary>
    public const string HumanAgent = "HumanAgent";
    public const string ListMeetings = "ListMeetings";

    /// <summary>"大运河视察几点集合", "常委会在哪里开": when and where one meeting is; the slot names it, if the words do.</summary>
    public const string MeetingDetails = "MeetingDetails";
    public const string SignUp = "SignUp";
    public const string CancelSignUp = "CancelSignUp";
    public const string RequestLeave = "RequestLeave";
    public const string MySignUps = "MySignUps";

    /// <summary>"撤回请假", "不请假了": taking back a leave request, which the office does.</summary>
    public const string WithdrawLeave = "WithdrawLeave";

    /// <summary>"签到": staff check members in at the door; the member hears so, with today's meetings and their state.</summary>
    public const string CheckIn = "CheckIn";

    /// <summary>Staff: list the leave requests waiting for a decision ("请假审批").</summary>
    public const string ReviewLeave = "ReviewLeave";

    /// <summary>Staff: approve a leave request by its number in that list ("批准 1").</summary>
    public const string ApproveLeave = "ApproveLeave";

    /// <summary>Staff: reject a leave request by its number, with an optional reason ("不批准 1 原因…").</summary>
    public const string RejectLeave = "RejectLeave";
    /// <summary>Staff: who signed up for a meeting, by state ("报名情况 1", "报名情况 大运河").</summary>
    public const string MeetingRoster = "MeetingRoster";

    /// <summary>The lead proposer evaluates a replied proposal ("评价 12 满意", "评价提案").</summary>
    public const string EvaluateProposal = "EvaluateProposal";
    public const string ProposalByNumber = "ProposalByNumber";
    public const string ProposalSearch = "ProposalSearch";
    public const string MyProposals = "MyProposals";
    public const string SubmitOpinion = "SubmitOpinion";
    public const string MyOpinions = "MyOpinions";

    /// <summary>One of the member's reports ("SQMY-2026-0003", "为什么退回了"); the slot is its tracking number, if said.</summary>
    public const string OpinionDetail = "OpinionDetail";

    /// <summary>Revise a report the office returned (退回修改) and submit it again; the slot is its tracking number, if said.</summary>
    public const string ReviseOpinion = "ReviseOpinion";

    /// <summary>A bare number ("2", "看第二个"): an entry of the numbered list the member saw last; the slot is the number.</summary>
    public const string ListPick = "ListPick";
}

/// <summary>Turns what a member sent into an intent.</summary>
public interface IIntentRecognizer
{
    /// <summary>The intent of a free text outside any dialog.</summary>
    Intent Recognize(string text);

    /// <summary>
    /// Inside a dialog only a short command interrupts it: <see cref="IntentNames.Cancel"/>,
    /// <see cref="IntentNames.Help"/>, or <see cref="Intent.None"/> when the text is an answer to the dialog
    /// (a report that says "建议取消收费" must not cancel the report).
    /// </summary>
    Intent RecognizeInterrupt(string text);

    /// <summary>The intent of an event (menu click, card button, entering the app); <see cref="Intent.None"/> when it asks for nothing.</summary>
    Intent RecognizeEvent(InboundMessage message);

    /// <summary>
    /// The requests of a message that asks for several different things ("报名明天的协商会，顺便看下我的提案"), in the
    /// order said, each with its own words; empty when it asks for one thing or none, which <see cref="Recognize"/> reads.
    /// </summary>
    IReadOnlyList<Request> RecognizeRequests(string text);
}

/// <summary>One of several requests in a message: its intent and the words that ask for it.</summary>
public sealed record Request(Intent Intent, string Words);

/// <summary>Handles one or more intents in a single turn, or starts a dialog for them.</summary>
public interface IIntentHandler
{
    IReadOnlyCollection<string> Intents { get; }

    Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken);
}
