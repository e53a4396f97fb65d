using System.Globalization;
using System.Text;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Opinions;

/// <summary>What members read while reporting 社情民意 and when they look their reports up.</summary>
public static class OpinionTexts
{
    public const string DialogTitle = "提交社情民意";

    /// <summary>Said once, at the start (domain.md §7.1): chat is no channel for classified material.</summary>
    public const string SecrecyReminder = "温馨提示：请勿填写涉密内容。";

    public static string AskTitle => $"好的，我们来报送一条社情民意信息。\n{SecrecyReminder}\n\n第1步：请发送标题，一句话概括要反映的问题，如“关于老旧小区停车难的建议”。";

    public static string OfferTitle(string title) =>
        $"好的，我们来报送一条社情民意信息。\n{SecrecyReminder}\n\n第1步：标题用“{title}”可以吗？回复“是”使用这个标题，或直接发送新的标题。";

    public const string TitleEmpty = "标题不能为空。请用一句话概括要反映的问题，如“关于老旧小区停车难的建议”。";

    public const string TitleNoWords = "标题需要有文字。请用一句话概括要反映的问题，如“关于老旧小区停车难的建议”。";

    public static string TitleTooLong(int length, int max) =>
        $"标题有{length}字，请控制在{max}字以内，再发送一次。详细情况可以在下一步的正文里写。";

    public const string TitleTooShort = "标题太短了，请用一句话概括要反映的问题，如“关于老旧小区停车难的建议”。";

    /// <summary>The opening of a report sent whole in one message ("标题：…，内容：…"): the content follows as its first paragraph.</summary>
    public static string TitleFromOneMessage(string title) =>
        $"好的，我们来报送一条社情民意信息。\n{SecrecyReminder}\n\n标题：{title}";

    public static string AskContent(string title, int min, int max) =>
        $"标题：{title}\n\n第2步：请发送正文，写清情况、分析和建议（{min}至{max}字）。内容较长可以分几条发送，全部发完后回复“完成”。";

    /// <summary>A paragraph taken; while the text is still below the minimum, how much is wanted, so 完成 does not come as a surprise.</summary>
    public static string ContentReceived(int part, int total, int min) => total < min
        ? $"已收到第{part}段，目前共{total}字，正文至少需要{min}字，请继续补充情况和建议，全部发完后回复“完成”。"
        : $"已收到第{part}段，目前共{total}字。可以继续发送，全部发完后回复“完成”。";

    public const string ContentEmptyPart = "这条消息没有内容。请发送正文，全部发完后回复“完成”。";

    public const string ContentNothingYet = "还没有收到正文。请先发送正文内容，全部发完后回复“完成”。";

    public static string ContentTooShort(int length, int min) =>
        $"正文目前只有{length}字，太简短了（至少{min}字）。请补充情况和建议后再回复“完成”。";

    public static string ContentTooLong(int current, int adding, int max) =>
        $"正文已有{current}字，加上这条（{adding}字）将超过{max}字的上限，这条没有记入。请精简后重新发送这部分，或回复“完成”结束正文。";

    public static string AskCategory(int length) =>
        $"正文已收到，共{length}字。\n\n第3步：请选择类别（可不选）：\n{CategoryMenu}\n回复序号或类别名称，不需要分类请回复“跳过”。";

    public static string CategoryMenu => string.Join("\n", OpinionCategories.All.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {c}")));

    public static string CategoryUnknown => $"没有这个类别。请回复序号1-{OpinionCategories.All.Count}或类别名称，不需要分类请回复“跳过”。\n{CategoryMenu}";

    public static string Summary(string title, string? category, string content, int length)
    {
        var builder = new StringBuilder();
        builder.Append("请核对要报送的内容：\n");
        builder.Append(CultureInfo.InvariantCulture, $"标题：{title}\n");
        builder.Append(CultureInfo.InvariantCulture, $"类别：{category ?? "未分类"}\n");
        builder.Append(CultureInfo.InvariantCulture, $"正文（共{length}字）：{OpinionText.Beginning(content, SummaryPreviewLength)}\n\n");
        builder.Append("请回复序号：\n1. 确认提交\n2. 修改标题\n3. 修改内容\n4. 取消");
        return builder.ToString();
    }

    public const int SummaryPreviewLength = 60;

    public const string SummaryUnknown = "请回复序号：1 确认提交，2 修改标题，3 修改内容，4 取消。";

    public const string AskNewTitle = "请发送新的标题。";

    public static string AskNewContent(int min, int max) =>
        $"请重新发送正文（{min}至{max}字），原来的正文将被替换。可以分几条发送，全部发完后回复“完成”。";

    public static string Submitted(string trackingNumber, string title) =>
        $"提交成功！\n跟踪编号：{trackingNumber}\n标题：{title}\n状态：已报送\n区政协将尽快审核处理。随时发送“我的社情民意”查看处理进展。";

    public static string StaffNotification(string trackingNumber, string title, string memberName) =>
        $"新的社情民意信息待审核：{trackingNumber}《{title}》，报送人：{memberName}委员。回复“{trackingNumber}”可查看内容。";

    public static string UnknownForOffice(string trackingNumber) =>
        $"没有编号为 {trackingNumber} 的社情民意信息，请核对编号（如 SQMY-2026-0001）。";

    public const string OfficeFooter = "全文、审核和处理请在区政协管理后台办理。";

    public const string MembersOnly = "社情民意信息报送面向区政协委员。如需帮助，请发送“帮助”查看我能做什么。";

    public const string NoReports = "您还没有报送过社情民意信息。发送“我要提交社情民意”，按提示填写标题和正文即可报送。";

    public static string HelpTitle(int max) =>
        $"现在是第1步：填写标题。请用一句话（{max}字以内）概括要反映的问题，如“关于老旧小区停车难的建议”。";

    public static string HelpOfferedTitle(string title) =>
        $"现在是第1步：确认标题。回复“是”使用“{title}”作为标题，或直接发送您想用的标题。";

    public static string HelpContent(int current, int min, int max) =>
        $"现在是第2步：填写正文。写清情况、分析和具体建议，{min}至{max}字，可以分几条发送（目前已收到{current}字）。全部发完后回复“完成”。";

    public static string HelpCategory => $"现在是第3步：选择类别，可不选。回复序号或类别名称，不需要分类请回复“跳过”。\n{CategoryMenu}";

    public const string HelpSummary = "现在是最后一步：核对并提交。回复1确认提交，2修改标题，3修改内容，4取消。";

    public const string NoneReturned = "您没有被退回修改的社情民意信息。发送“我的社情民意”可查看各条信息的进展。";

    public static string NotOwn(string trackingNumber) =>
        $"没有找到您报送的编号为 {trackingNumber} 的社情民意信息。发送“我的社情民意”可查看您报送的信息。";

    public static string NotReturned(string trackingNumber, OpinionStatus status) =>
        $"{trackingNumber}目前为“{status.ToLabel()}”，不需要修改。只有被退回修改的信息可以修改后重新报送。";

    public static string PickReturned(IReadOnlyList<Opinion> returned)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"您有{returned.Count}条信息被退回修改："));
        foreach (var opinion in returned)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n· {opinion.Id}《{opinion.Title}》");
        }

        return text.Append(CultureInfo.InvariantCulture, $"\n请回复“修改 {returned[0].Id}”这样的编号来修改。").ToString();
    }

    /// <summary>The office's note of the latest return, if it gave one.</summary>
    public static string? ReturnNote(Opinion opinion) =>
        opinion.History.Where(h => h.Status == OpinionStatus.Returned).OrderBy(h => h.At).ThenBy(h => h.Id).LastOrDefault()?.Note;

    /// <summary>The opening of a revision: the office's request, then the summary to confirm or edit.</summary>
    public static string Revising(Opinion opinion) =>
        ReturnNote(opinion) is { } note
            ? $"修改后重新报送 {opinion.Id}。\n区政协的修改意见：{note}\n"
            : $"修改后重新报送 {opinion.Id}。\n";

    public static string Resubmitted(string trackingNumber, string title) =>
        $"已重新报送！\n跟踪编号：{trackingNumber}\n标题：{title}\n状态：已报送\n区政协将尽快审核处理。随时发送“我的社情民意”查看处理进展。";

    public static string ResubmitFailed(string trackingNumber) =>
        $"{trackingNumber}的状态刚有变化，这次修改没有提交。发送“{trackingNumber}”可查看它现在的情况。";

    public const string DraftTitle = "已填写的标题";

    public const string DraftTitleAndContent = "已填写的标题和正文";
}
