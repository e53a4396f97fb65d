using System.Globalization;
using System.Text;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Linping.CppccBot.Features.Staff;

/// <summary>Which list of a meeting is exported.</summary>
public enum MeetingExportKind
{
    /// <summary>报名名单: every sign-up, waitlist place, cancellation and leave request of the meeting.</summary>
    Signups,

    /// <summary>出勤名单: everyone expected (invitees of a 指定出席 meeting, those signed up otherwise) and how they attended.</summary>
    Attendance,
}

/// <summary>An exported list: Chinese headers and one row of text cells per member.</summary>
public sealed record ExportTable(string SheetName, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>A file ready to download.</summary>
public sealed record ExportFile(byte[] Content, string ContentType, string FileName);

/// <summary>
/// A meeting's sign-ups and attendance as CSV (UTF-8 with BOM, so Excel opens the Chinese correctly) and XLSX, with
/// Chinese headers and times in Beijing time. Leave requests show their category only: the free-text note is private.
/// </summary>
public sealed class MeetingExportService(BotDbContext db, ChineseTime chineseTime)
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly IReadOnlyList<string> SignupHeaders = ["序号", "姓名", "界别", "报名状态", "报名时间", "候补顺位", "请假类别", "签到时间"];

    public static readonly IReadOnlyList<string> AttendanceHeaders = ["序号", "姓名", "界别", "出勤情况", "请假类别", "签到时间"];

    private static readonly ParticipationStatus[] Expected =
        [ParticipationStatus.SignedUp, ParticipationStatus.CheckedIn, ParticipationStatus.LeavePending, ParticipationStatus.LeaveApproved, ParticipationStatus.LeaveRejected];

    /// <summary>The file, or null when there is no meeting with this id.</summary>
    public async Task<ExportFile?> ExportAsync(string meetingId, MeetingExportKind kind, bool xlsx, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        if (meeting is null)
        {
            return null;
        }

        var table = kind == MeetingExportKind.Signups ? await SignupsAsync(meeting, cancellationToken) : await AttendanceAsync(meeting, cancellationToken);
        var name = FileName(meeting, kind, xlsx ? "xlsx" : "csv");
        return xlsx ? new ExportFile(ToXlsx(table), XlsxContentType, name) : new ExportFile(ToCsv(table), CsvContentType, name);
    }

    public async Task<ExportTable> SignupsAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        var rows = await (from p in db.Participations.AsNoTracking()
                          join m in db.Members.AsNoTracking() on p.MemberId equals m.Id
                          where p.MeetingId == meeting.Id
                          select new { p, m.Name, m.Sector })
            .ToListAsync(cancellationToken);
        var ordered = rows.OrderBy(r => StatusOrder(r.p.Status)).ThenBy(r => r.p.WaitlistPosition).ThenBy(r => r.p.CreatedAt).ThenBy(r => r.p.Id).ToList();
        return new ExportTable("报名名单", SignupHeaders, [.. ordered.Select((r, i) => (IReadOnlyList<string>)
        [
            (i + 1).ToString(CultureInfo.InvariantCulture),
            r.Name,
            r.Sector ?? string.Empty,
            r.p.Status.ToLabel(meeting.Status),
            Time(r.p.CreatedAt),
            r.p.Status == ParticipationStatus.Waitlisted && r.p.WaitlistPosition is { } position ? position.ToString(CultureInfo.InvariantCulture) : string.Empty,
            LeaveCategory(r.p),
            Time(r.p.CheckedInAt),
        ])]);
    }

    public async Task<ExportTable> AttendanceAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        var participations = await db.Participations.AsNoTracking().Where(p => p.MeetingId == meeting.Id).ToDictionaryAsync(p => p.MemberId, cancellationToken);
        IEnumerable<string> expectedIds = meeting.Participation == ParticipationMode.Mandatory
            ? meeting.InviteAllMembers
                ? await db.Members.AsNoTracking().Where(m => m.IsActive).Select(m => m.Id).ToListAsync(cancellationToken)
                : meeting.Invitees.Select(i => i.MemberId)
            : [];
        var ids = expectedIds.Concat(participations.Values.Where(p => Expected.Contains(p.Status)).Select(p => p.MemberId)).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => EF.Parameter(ids).Contains(m.Id)).ToListAsync(cancellationToken);
        var ended = meeting.EndsAt <= chineseTime.Now;
        var rows = members
            .Select(m => (Member: m, Own: participations.GetValueOrDefault(m.Id)))
            .Select(r => (r.Member, r.Own, Label: meeting.Status == MeetingStatus.Cancelled ? Labels.MeetingCancelled : AttendanceLabel(r.Own, ended)))
            .OrderBy(r => AttendanceOrder(r.Own)).ThenBy(r => r.Member.Id, StringComparer.Ordinal)
            .ToList();
        return new ExportTable("出勤名单", AttendanceHeaders, [.. rows.Select((r, i) => (IReadOnlyList<string>)
        [
            (i + 1).ToString(CultureInfo.InvariantCulture),
            r.Member.Name,
            r.Member.Sector ?? string.Empty,
            r.Label,
            r.Own is { } own ? LeaveCategory(own) : string.Empty,
            Time(r.Own?.CheckedInAt),
        ])]);
    }

    /// <summary>
    /// The leave category while the row is a leave request (待批, 已准假, 未准); a member who came after all (checked in
    /// after approved leave) reads 已签到 alone, in both lists.
    /// </summary>
    public static string LeaveCategory(Participation own) =>
        own.LeaveReason is { } reason && IsLeave(own) ? reason.ToLabel() : string.Empty;

    /// <summary>Whether the row is a leave request (待批, 已准假, 未准): only then does staff see its reason and note.</summary>
    public static bool IsLeave(Participation own) =>
        own.Status is ParticipationStatus.LeavePending or ParticipationStatus.LeaveApproved or ParticipationStatus.LeaveRejected;

    /// <summary>
    /// What an expected member's attendance reads: 已签到, 已准假, 请假待批, or 未签到 (缺席 once the meeting is over). A
    /// cancelled meeting had no attendance: every row reads 会议已取消.
    /// </summary>
    public static string AttendanceLabel(Participation? own, bool meetingEnded) => own?.Status switch
    {
        ParticipationStatus.CheckedIn => ParticipationStatus.CheckedIn.ToLabel(),
        ParticipationStatus.LeaveApproved => ParticipationStatus.LeaveApproved.ToLabel(),
        ParticipationStatus.LeavePending => ParticipationStatus.LeavePending.ToLabel(),
        _ => meetingEnded ? "缺席" : "未签到",
    };

    /// <summary>"临平区…视察-20270512-报名名单.csv": the title (without characters file systems refuse), the Beijing date and the list.</summary>
    public string FileName(Meeting meeting, MeetingExportKind kind, string extension)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['"', '<', '>', '|', ':', '*', '?', '\\', '/']).ToHashSet();
        var title = new string([.. meeting.Title.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c)]).Trim();
        var date = chineseTime.ToLocal(meeting.StartsAt).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return $"{title}-{date}-{(kind == MeetingExportKind.Signups ? "报名名单" : "出勤名单")}.{extension}";
    }

    /// <summary>RFC 4180 CSV with CRLF line ends and a UTF-8 BOM; a cell that a spreadsheet would run as a formula is quoted as text.</summary>
    public static byte[] ToCsv(ExportTable table)
    {
        var text = new StringBuilder();
        foreach (var line in table.Rows.Prepend(table.Headers))
        {
            text.AppendJoin(',', line.Select(CsvCell)).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] ToXlsx(ExportTable table)
    {
        var rows = table.Rows.Select(row =>
        {
            var cells = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < table.Headers.Count; i++)
            {
                cells[table.Headers[i]] = row[i];
            }

            return cells;
        }).ToList();
        using var stream = new MemoryStream();
        if (rows.Count == 0)
        {
            // MiniExcel takes the header row from the first row's keys: an empty list still gets its headers.
            MiniExcel.SaveAs(stream, new[] { table.Headers.ToDictionary(h => h, h => (object)h, StringComparer.Ordinal) }, printHeader: false, sheetName: table.SheetName);
        }
        else
        {
            MiniExcel.SaveAs(stream, rows, sheetName: table.SheetName);
        }

        return stream.ToArray();
    }

    private static string CsvCell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private string Time(DateTimeOffset? value) =>
        value is { } v ? chineseTime.ToLocal(v).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : string.Empty;

    private static int StatusOrder(ParticipationStatus status) => status switch
    {
        ParticipationStatus.CheckedIn => 0,
        ParticipationStatus.SignedUp => 1,
        ParticipationStatus.Waitlisted => 2,
        ParticipationStatus.LeavePending => 3,
        ParticipationStatus.LeaveApproved => 4,
        ParticipationStatus.LeaveRejected => 5,
        _ => 6,
    };

    private static int AttendanceOrder(Participation? own) => own?.Status switch
    {
        ParticipationStatus.CheckedIn => 0,
        ParticipationStatus.SignedUp or null => 1,
        ParticipationStatus.LeaveRejected => 1,
        ParticipationStatus.LeavePending => 2,
        ParticipationStatus.LeaveApproved => 3,
        _ => 4,
    };
}
