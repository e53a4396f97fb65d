namespace Linping.CppccBot.Conversations;

/// <summary>Member-facing texts of the conversation core. Feature texts live with their features.</summary>
public static class BotTexts
{
    public const string SomethingWentWrong = "抱歉，刚才处理您的消息时出了点问题，对话已重置。请重新发送，或发送“帮助”查看我能做什么。";

    public const string Busy = "您的上一条消息还在处理中，请稍等几秒再发送。";

    public const string Unavailable = "系统暂时繁忙，请稍后再试。已办理的事项不会丢失。";

    /// <summary>A sign-up, cancellation or leave request that others' changes to the same meeting kept overtaking: nothing was stored.</summary>
    public const string TooManyAtOnce = "刚才同时办理的人较多，您这条消息没有办成，请稍后再发一次。";

    /// <summary>A picture, voice message or file in the middle of a dialog: the dialog goes on in words.</summary>
    public const string UnsupportedInDialog = "图片、语音和文件暂时收不到，请用文字回复。";

    /// <summary>In a group chat: what concerns one member (sign-ups, leave, own proposals and reports) is not shown to all.</summary>
    public const string GroupPrivateOnly = "这件事涉及个人信息，请私聊我办理（点击我的头像发消息）。在群里可以发“最近有什么会议”查看近期会议。";

    /// <summary>In a group chat: words the bot did not understand (nothing personal was asked for).</summary>
    public const string GroupNotUnderstood = "抱歉，没太明白您的意思。在群里可以发“最近有什么会议”查看近期会议；报名、请假、查提案和报送社情民意，请私聊我办理（点击我的头像发消息）。";

    /// <summary>In a group chat: the help, for everyone to read (no name, nothing only a private chat can do).</summary>
    public const string GroupHelp = "我是临平区政协委员履职助手。在群里可以发“最近有什么会议”查看近期会议；报名、取消、请假、我的会议、查提案和报送社情民意，请私聊我办理（点击我的头像发消息），私聊发“帮助”可查看全部功能。";

    public const string UnsupportedMessage = "暂时只能看懂文字消息。请用文字告诉我您要办的事，发送“帮助”查看我能做什么。";

    public static string NotOnRoster(string contact) =>
        $"您好！本助手只为临平区政协委员和区政协机关工作人员提供服务，暂未查到您的委员信息。如有疑问，请联系{contact}。";

    /// <summary>The requests of a message left undone because an earlier one asks the member something first.</summary>
    public static string RequestsNotDone(IEnumerable<string> requests) =>
        $"另外，您说的{string.Join("、", requests.Select(r => $"“{Shorten(r)}”"))}这次还没有办理。请先回复上面的问题，之后再单独发送一次。";

    private static string Shorten(string words) =>
        words.EnumerateRunes().Count() <= 20 ? words : string.Concat(words.EnumerateRunes().Take(19).Select(r => r.ToString())) + "…";

    public static string DialogCancelled(string title) => $"已取消“{title}”，填写的内容没有保存。需要时发送“帮助”查看我能做什么。";

    public static string DialogExpired(string title, TimeSpan timeout) =>
        $"您上次的“{title}”超过{Describe(timeout)}没有继续，已自动结束。";

    public static string DialogExpiredDraftKept(string title, TimeSpan timeout) =>
        $"您上次的“{title}”超过{Describe(timeout)}没有继续，草稿已为您保留：回复“继续”接着填写，回复“放弃”删除草稿。";

    /// <summary>A dialog without a draft left by "取消": nothing to regret.</summary>
    public static string DialogLeft(string title) => $"好的，已退出“{title}”。";

    public static string ConfirmDiscard(string title, string draft) =>
        $"确定放弃“{title}”吗？{draft}将不会保存。回复“确定”放弃；要接着填写，直接发送内容即可。";

    public const string DialogGoesOn = "好的，接着填写。";

    public static string DraftKept(string title) => $"（您的“{title}”还没填完，草稿已保留，回复“继续”接着填写。）";

    public static string DialogResumed(string title) => $"接着填写“{title}”。";

    /// <summary>"继续" with no draft kept: the only dialog that keeps one is the 社情民意 report.</summary>
    public const string NoDraftToResume = "您目前没有未填完的社情民意草稿。要报送社情民意，请发送“我要提交社情民意”。";

    public static string DraftDiscarded(string title) => $"已删除“{title}”的草稿。";

    public static string DialogHelpSuffix => "发送“取消”可退出当前操作。";

    /// <summary>"30分钟", "2小时", "1天": a duration in the words a member would use.</summary>
    public static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays % 1 == 0 => $"{span.TotalDays:0}天",
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => $"{span.TotalHours:0}小时",
        _ => $"{Math.Max(1, Math.Round(span.TotalMinutes)):0}分钟",
    };
}
