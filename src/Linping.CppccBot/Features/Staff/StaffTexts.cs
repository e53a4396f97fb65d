using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Staff;

/// <summary>What members read when staff move their records.</summary>
internal static class StaffTexts
{
    /// <summary>The submitter's news of an adopted or upward-reported 社情民意 report.</summary>
    public static string OpinionNews(Opinion opinion, OpinionStatus status) => status switch
    {
        OpinionStatus.Adopted => $"【社情民意】您报送的《{opinion.Title}》（编号 {opinion.Id}）已被采用。感谢您积极反映社情民意！发送“我的社情民意”可查看进展。",
        OpinionStatus.ReportedUpward => $"【社情民意】您报送的《{opinion.Title}》（编号 {opinion.Id}）已报送上级政协。感谢您积极反映社情民意！发送“我的社情民意”可查看进展。",
        OpinionStatus.Returned => $"【社情民意】您报送的《{opinion.Title}》（编号 {opinion.Id}）需要修改后重新报送。\n修改意见：{Features.Opinions.OpinionTexts.ReturnNote(opinion) ?? "请联系区政协办公室"}\n回复“修改 {opinion.Id}”即可修改后重新报送。",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
