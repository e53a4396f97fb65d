using Linping.CppccBot.Conversations;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Help;

/// <summary>The help menu and the fallbacks that point to it.</summary>
public static class HelpTexts
{
    public const string Menu = """
        我可以帮您：
        【会议活动】
        · 发“最近有什么会议”查看近期会议
        · 发“报名”加会议名称或序号报名，发“取消报名”“请假”加会议名称
        · 发“我的会议”查看报名和请假情况
        【提案】
        · 发“查提案12号”或“提案 养老”查询办理进度
        · 发“我的提案”查看您提的提案
        · 提案答复后，领衔提案人发“评价提案”对办理情况作出评价
        【社情民意】
        · 发“我要提交社情民意”按提示填写报送
        · 发“我的社情民意”查看处理状态
        办理过程中随时发“取消”退出，发“帮助”查看说明。
        """;

    /// <summary>What the caller can do: the members' menu, the office's part for staff (both for staff who are members).</summary>
    public static string MenuFor(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Menu;
        }

        var lines = new List<string> { "【工作人员】" };
        if (!caller.IsMember)
        {
            lines.Add("· 发“最近有什么会议”查看近期会议");
        }

        if (caller.HasRole(StaffRoles.MeetingOrganiser) || caller.HasRole(StaffRoles.Admin))
        {
            lines.Add("· 发“报名情况”加会议名称或序号，查看报名、请假和签到");
        }

        if (caller.HasRole(StaffRoles.MeetingOrganiser))
        {
            lines.Add("· 发“请假审批”查看待批的请假，回复“批准 1”或“不批准 1 原因”审批");
        }

        lines.Add(caller.HasRole(StaffRoles.ProposalOffice) || caller.HasRole(StaffRoles.Admin)
            ? "· 发“查提案12号”或“提案 养老”查询提案（含未立案的）"
            : "· 发“查提案12号”或“提案 养老”查询提案");
        if (caller.HasRole(StaffRoles.InfoOffice) || caller.HasRole(StaffRoles.Admin))
        {
            lines.Add("· 发社情民意编号（如“SQMY-2026-0001”）查看报送内容和处理过程");
        }

        if (caller.HasRole(StaffRoles.InfoOffice) || caller.HasRole(StaffRoles.ProposalOffice))
        {
            lines.Add("· 新的社情民意信息和提案评价会自动通知您");
        }

        lines.Add("名单、会议和提案的导入、导出与审核，请在区政协管理后台办理。");
        var staff = string.Join("\n", lines);
        return caller.IsMember ? Menu + "\n" + staff : "我可以帮您：\n" + staff;
    }

    public static string Welcome(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return $"{caller.Name}您好，我是临平区政协委员履职助手。\n{MenuFor(caller)}";
    }

    /// <param name="brief">
    /// The caller talked to the bot before (and so saw the menu, or can ask for it): one line of what the bot does, not
    /// the whole menu again, which on a phone is a wall of text for a "测试" or "今天天气怎么样".
    /// </param>
    public static string NotUnderstoodBy(Caller caller, bool brief) => "抱歉，没太明白您的意思。\n" + (brief ? BriefMenuFor(caller) : MenuFor(caller));

    /// <summary>What the bot does in a few words, and how to see all of it.</summary>
    public static string BriefMenuFor(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsMember ? "我可以帮您查会议、报名请假、查提案、报送社情民意，发送“帮助”查看全部。" : "发送“帮助”查看我能为您做什么。";
    }

    public const string YouAreWelcome = "不客气，有需要随时找我。";

    public const string Acknowledged = "好的，有需要随时找我。";

    /// <summary>The answer to "转人工": no person reads this chat; whom to contact instead.</summary>
    public static string NoHumanAgent(string contact) => $"我是自动回复的小助手，这里没有人工客服。需要人工帮忙，请联系{contact}。";

    public const string NothingToCancel = "当前没有正在办理的事项。需要时发送“帮助”查看我能做什么。";

    public const string NothingToConfirm = "当前没有等您确认的事项（已提交或已办好的不用再确认）。需要时发送“帮助”查看我能做什么。";

}
