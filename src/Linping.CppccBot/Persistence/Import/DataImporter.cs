using System.Globalization;
using System.Text.Json;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Persistence.Import;

/// <summary>
/// Imports a data file (fixtures/README.md format, or the roster or proposal spreadsheet as CSV or XLSX): validates
/// everything first, then applies all records in one transaction as an upsert by id (members, staff, groups, meetings,
/// opinions) or by serial (proposals). Records absent from the file are left alone. Importing the same file again
/// changes nothing.
/// </summary>
/// <remarks>
/// With <paramref name="meetings"/> (as the host has it), a published meeting to come that the file gives more seats (or
/// no limit) moves its waitlist up in the same save, as a staff change does, and the members promoted are told at once.
/// </remarks>
public sealed partial class DataImporter(
    BotDbContext db, TimeProvider timeProvider, ILogger<DataImporter> logger, IOptions<BotOptions>? botOptions = null, MeetingService? meetings = null)
{
    /// <summary>The largest file the staff API and the command accept.</summary>
    public const long MaxFileBytes = 10 * 1024 * 1024;

    /// <summary>The file types an import understands, by extension.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".json", ".csv", ".xlsx"];

    private const string ImportNote = "导入";

    /// <summary>Who the state changes of the running import are recorded as: a file import, or staff editing one record.</summary>
    private string _actor = StateChangeActors.Import;

    /// <summary>Tries of an import whose meetings members changed meanwhile (see <see cref="TryImportAsync"/>).</summary>
    private const int MaxAttempts = 5;

    /// <summary>What the running import tells members of the meetings it changed.</summary>
    private readonly List<ImportedMeetingChange> _meetingNotices = [];

    /// <summary>The members the running import moved up from a waitlist, with the claims of their notices.</summary>
    private readonly List<(Meeting Meeting, Participation Promoted, string Notice)> _promotions = [];

    /// <summary>What the running import kept as stored rather than as the file has it, by record (the rest is imported).</summary>
    private readonly List<ImportError> _warnings = [];

    public async Task<ImportResult> ImportFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return ImportResult.Failed(new ImportError("$", "", $"找不到文件 {path}"));
        }

        await using var stream = File.OpenRead(path);
        return await ImportFileAsync(stream, Path.GetFileName(path), cancellationToken);
    }

    /// <summary>Imports one file whose kind its extension tells: <c>.json</c>, <c>.csv</c> (UTF-8 or GBK) or <c>.xlsx</c>.</summary>
    public async Task<ImportResult> ImportFileAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (!Extensions.Contains(extension))
        {
            return ImportResult.Failed(new ImportError("$", "", $"不支持的文件类型“{extension}”：请上传 .xlsx、.csv 或 .json 文件"));
        }

        if (extension == ".json")
        {
            return await ImportAsync(content, cancellationToken);
        }

        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxFileBytes)
        {
            return ImportResult.Failed(new ImportError("$", "", $"文件超过 {MaxFileBytes / 1024 / 1024} MB"));
        }

        Sheet sheet;
        if (extension == ".csv")
        {
            try
            {
                sheet = SheetReader.ParseCsv(SheetReader.DecodeText(buffer.ToArray()), cancellationToken);
            }
            catch (SheetRefusedException ex)
            {
                LogRejected(logger, 1);
                return ImportResult.Failed(ex.Error);
            }
        }
        else
        {
            try
            {
                buffer.Position = 0;
                sheet = SheetReader.ReadXlsx(buffer, cancellationToken);
            }
            catch (SheetRefusedException ex)
            {
                LogRejected(logger, 1);
                return ImportResult.Failed(ex.Error);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException or NotSupportedException or ArgumentException)
            {
                LogUnreadable(logger, ex.GetType().Name);
                return ImportResult.Failed(new ImportError("$", "", "无法读取该 Excel 文件：请确认是 .xlsx 格式（旧版 .xls 请在 Excel 中另存为 .xlsx）"));
            }
        }

        return await ImportSheetAsync(sheet, cancellationToken);
    }

    private async Task<ImportResult> ImportSheetAsync(Sheet sheet, CancellationToken cancellationToken)
    {
        var members = await db.Members.AsNoTracking().Select(m => new { m.Id, m.Name }).ToListAsync(cancellationToken);
        var context = new SheetContext(
            members.Select(m => m.Id).ToHashSet(StringComparer.Ordinal),
            // Keyed as names are stored now (TextInput.Name), so a name stored before with an aligning space is found too.
            members.GroupBy(m => TextInput.Name(m.Name) ?? m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(m => m.Id).ToList(), StringComparer.Ordinal),
            botOptions?.Value.ResolveTimeZone() ?? TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var conversion = SheetImport.Convert(sheet, context);
        if (conversion.Document is null)
        {
            LogRejected(logger, conversion.Errors.Count);
            return ImportResult.Failed(conversion.Errors);
        }

        // Cell errors and record errors are reported together, so one upload shows every bad row; a cell gets its first
        // error only (an unreadable status is not also reported as a missing one).
        var validator = new ImportValidator(await LoadExistingKeysAsync(cancellationToken));
        validator.Validate(conversion.Document);
        var errors = conversion.Errors.Concat(validator.Errors.Select(conversion.Translate).OfType<ImportError>())
            .DistinctBy(e => (e.Row, e.Field.Length == 0 ? e.Message : e.Field))
            .OrderBy(e => e.Row ?? 0).ToList();
        if (errors.Count > 0)
        {
            LogRejected(logger, errors.Count);
            return ImportResult.Failed(errors);
        }

        return await ImportAsync(conversion.Document, cancellationToken);
    }

    public async Task<ImportResult> ImportAsync(Stream utf8Json, CancellationToken cancellationToken)
    {
        ImportDocument? document;
        try
        {
            document = await JsonSerializer.DeserializeAsync<ImportDocument>(utf8Json, ImportDocument.JsonOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            // The path and line say where; the value itself is not echoed.
            var line = ex.LineNumber is { } n ? $"（第 {n + 1} 行）" : "";
            return ImportResult.Failed(new ImportError(ex.Path ?? "$", "", $"JSON 无法解析或类型不符{line}"));
        }

        return await ImportAsync(document, cancellationToken);
    }

    public Task<ImportResult> ImportAsync(ImportDocument? document, CancellationToken cancellationToken) =>
        ImportAsync(document, StateChangeActors.Import, cancellationToken);

    /// <summary>Validates and stores <paramref name="document"/>; its state changes are recorded as made by <paramref name="actor"/>.</summary>
    public async Task<ImportResult> ImportAsync(ImportDocument? document, string actor, CancellationToken cancellationToken)
    {
        _actor = actor;
        for (var attempt = 1; ; attempt++)
        {
            if (await TryImportAsync(document, cancellationToken) is { } result)
            {
                return result.Succeeded ? await NotifyPromotedAsync(result, cancellationToken) : result;
            }

            if (attempt == MaxAttempts)
            {
                return ImportResult.Failed(new ImportError("$", "", "导入时有委员正在报名、取消或请假，会议刚刚有变化，未导入任何记录，请重新导入"));
            }

            LogRetried(logger, attempt);
        }
    }

    /// <summary>
    /// One attempt of <see cref="ImportAsync(ImportDocument?, string, CancellationToken)"/>; null when a meeting it changes
    /// was changed meanwhile (a member's sign-up, cancellation or leave request saved between its read and its save):
    /// nothing of it was kept, and the file is checked and applied again on what is stored now (seats below the sign-ups
    /// are then refused as usual).
    /// </summary>
    private async Task<ImportResult?> TryImportAsync(ImportDocument? document, CancellationToken cancellationToken)
    {
        _meetingNotices.Clear();
        _warnings.Clear();
        _promotions.Clear();
        var validator = new ImportValidator(await LoadExistingKeysAsync(cancellationToken));
        var data = validator.Validate(document);
        if (data is null)
        {
            LogRejected(logger, validator.Errors.Count);
            return ImportResult.Failed(validator.Errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Each record's own changes are detected as it is counted (Counter.Count), and all of them once before saving:
        // left on, EF Core would look over every tracked row again at each Entry call, ChangeTracker.Entries (the
        // interceptors) and SaveChanges, which for 5,000 proposals and their proposers, units and history is most of the time.
        var autoDetectChanges = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var now = timeProvider.GetUtcNow();
            var counts = new ImportCounts(
                await UpsertMembersAsync(data.Members, document?.MemberFields, now, cancellationToken),
                await UpsertStaffAsync(data.Staff, cancellationToken),
                await UpsertGroupsAsync(data.Groups, cancellationToken),
                await UpsertMeetingsAsync(data.Meetings, now, cancellationToken),
                await UpsertProposalsAsync(data.Proposals, document?.ProposalFields, now, cancellationToken),
                await UpsertOpinionsAsync(data.Opinions, now, cancellationToken));
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogImported(logger, counts);
            return new ImportResult(counts, []) { MeetingNotices = [.. _meetingNotices], Warnings = [.. _warnings] };
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return null;
        }
        catch (DbUpdateException ex)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            LogWriteFailed(logger, ex.GetType().Name);
            return ImportResult.Failed(new ImportError("$", "", "数据库拒绝写入（如账号或案号与已有记录冲突），未导入任何记录"));
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetectChanges;
        }
    }

    /// <summary>Tells the members an import saved as promoted from a waitlist, and lists them (with whether they heard) in the result.</summary>
    private async Task<ImportResult> NotifyPromotedAsync(ImportResult result, CancellationToken cancellationToken)
    {
        if (_promotions.Count == 0 || meetings is null)
        {
            return result;
        }

        var promotions = _promotions.ToList();
        _promotions.Clear();
        var memberIds = promotions.Select(p => p.Promoted.MemberId).Distinct().ToList();
        var names = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, StringComparer.Ordinal, cancellationToken);
        var told = new List<ImportedPromotion>();
        foreach (var group in promotions.GroupBy(p => p.Meeting.Id, StringComparer.Ordinal).Select(g => g.ToList()))
        {
            var count = group.Count;
            LogPromoted(logger, group[0].Meeting.Id, count);
            foreach (var (meeting, promoted, notice) in group)
            {
                var outcome = await meetings.SendPromotionNoticeAsync(meeting.Id, notice, cancellationToken);
                told.Add(new ImportedPromotion(meeting.Id, meeting.Title, promoted.MemberId, names.GetValueOrDefault(promoted.MemberId), outcome.ToString()));
            }
        }

        return result with { Promotions = told };
    }

    internal async Task<ExistingKeys> LoadExistingKeysAsync(CancellationToken cancellationToken)
    {
        var members = await db.Members.AsNoTracking().Select(m => new { m.Id, m.WeComUserId, m.DingTalkUserId }).ToListAsync(cancellationToken);
        var staff = await db.Staff.AsNoTracking().Select(s => new { s.Id, s.WeComUserId, s.DingTalkUserId }).ToListAsync(cancellationToken);
        var groupIds = await db.Groups.AsNoTracking().Select(g => g.Id).ToListAsync(cancellationToken);
        var proposals = await db.Proposals.AsNoTracking().Select(p => new { p.Session, p.Number, p.Serial, p.Status }).ToListAsync(cancellationToken);
        var seatsTaken = await db.Participations.AsNoTracking()
            .Where(p => p.Status == ParticipationStatus.SignedUp || p.Status == ParticipationStatus.CheckedIn)
            .GroupBy(p => p.MeetingId).Select(g => new { MeetingId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.MeetingId, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var meetings = await db.Meetings.AsNoTracking()
            .Select(m => new { m.Id, m.Status, m.Title, m.Type, m.Location, m.StartsAt, m.EndsAt, m.Capacity, m.Participation, m.SignupDeadline })
            .ToListAsync(cancellationToken);
        return new ExistingKeys(
            members.Select(m => m.Id).ToHashSet(StringComparer.Ordinal),
            ByAccount(members.Select(m => (m.WeComUserId, m.Id)), StringComparer.OrdinalIgnoreCase),
            ByAccount(members.Select(m => (m.DingTalkUserId, m.Id)), StringComparer.Ordinal),
            ByAccount(staff.Select(s => (s.WeComUserId, s.Id)), StringComparer.OrdinalIgnoreCase),
            ByAccount(staff.Select(s => (s.DingTalkUserId, s.Id)), StringComparer.Ordinal),
            groupIds.ToHashSet(StringComparer.Ordinal),
            proposals.ToDictionary(p => ProposalNumber.Key(p.Session, p.Serial), p => new StoredProposal(p.Number, p.Status), StringComparer.Ordinal),
            meetings.ToDictionary(
                m => m.Id,
                m => new StoredMeeting(
                    m.Status, seatsTaken.GetValueOrDefault(m.Id), m.Title, m.Type, m.Location, m.StartsAt, m.EndsAt, m.Capacity, m.Participation, m.SignupDeadline),
                StringComparer.Ordinal));
    }

    /// <summary>The member fields an import sets, by their name in the file (<see cref="ImportDocument.MemberFields"/>).</summary>
    private static readonly (string Field, Action<Member, ValidMember> Set)[] MemberFieldSetters =
    [
        ("wecomUserId", (m, r) => m.WeComUserId = r.WeComUserId),
        ("dingtalkUserId", (m, r) => m.DingTalkUserId = r.DingTalkUserId),
        ("preferredApp", (m, r) => m.PreferredApp = r.PreferredApp),
        ("sector", (m, r) => m.Sector = r.Sector),
        ("committees", (m, r) => m.Committees = r.Committees),
        ("studio", (m, r) => m.Studio = r.Studio),
        ("isStandingMember", (m, r) => m.IsStandingMember = r.IsStandingMember),
    ];

    private async Task<KindCounts> UpsertMembersAsync(List<ValidMember> records, IReadOnlySet<string>? fields, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        // The ids go as one parameter (a JSON array on SQLite, an array on PostgreSQL): EF Core 10 would otherwise send
        // one parameter per id, and building that SQL for 5,000 ids took most of a re-import (docs/benchmarks.md).
        var existing = await db.Members.Where(m => EF.Parameter(ids).Contains(m.Id)).ToDictionaryAsync(m => m.Id, StringComparer.Ordinal, cancellationToken);
        var counter = new Counter();
        foreach (var r in records)
        {
            // A new member takes every field; a member already there only those the source carries.
            var isNew = !existing.TryGetValue(r.Id, out var member);
            if (isNew)
            {
                member = new Member { Id = r.Id, Name = r.Name, AddedAt = now };
                db.Members.Add(member);
            }

            member!.Name = r.Name;
            foreach (var (field, set) in MemberFieldSetters)
            {
                if (isNew || fields is null || fields.Contains(field))
                {
                    set(member, r);
                }
            }

            if (r.Mobile is not null)
            {
                // A file without mobile numbers (the JSON seed) leaves those a roster import brought in.
                member.Mobile = r.Mobile;
            }

            counter.Count(db.Entry(member), childrenChanged: false);
        }

        return counter.Result;
    }

    private async Task<KindCounts> UpsertStaffAsync(List<ValidStaff> records, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var existing = await db.Staff.Where(s => EF.Parameter(ids).Contains(s.Id)).ToDictionaryAsync(s => s.Id, StringComparer.Ordinal, cancellationToken);
        var counter = new Counter();
        foreach (var r in records)
        {
            if (!existing.TryGetValue(r.Id, out var staff))
            {
                staff = new StaffMember { Id = r.Id, Name = r.Name };
                db.Staff.Add(staff);
            }

            staff.Name = r.Name;
            staff.WeComUserId = r.WeComUserId;
            staff.DingTalkUserId = r.DingTalkUserId;
            staff.Roles = r.Roles;
            counter.Count(db.Entry(staff), childrenChanged: false);
        }

        return counter.Result;
    }

    private async Task<KindCounts> UpsertGroupsAsync(List<ValidGroup> records, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var existing = await db.Groups.Where(g => EF.Parameter(ids).Contains(g.Id)).ToDictionaryAsync(g => g.Id, StringComparer.Ordinal, cancellationToken);
        var counter = new Counter();
        foreach (var r in records)
        {
            if (!existing.TryGetValue(r.Id, out var group))
            {
                group = new Group { Id = r.Id, Name = r.Name };
                db.Groups.Add(group);
            }

            group.Name = r.Name;
            group.WeComWebhookKey = r.WeComWebhookKey;
            group.DingTalkAccessToken = r.DingTalkAccessToken;
            group.DingTalkSecret = r.DingTalkSecret;
            counter.Count(db.Entry(group), childrenChanged: false);
        }

        return counter.Result;
    }

    private async Task<KindCounts> UpsertMeetingsAsync(List<ValidMeeting> records, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var existing = await db.Meetings.Include(m => m.Invitees).Include(m => m.Groups)
            .Where(m => EF.Parameter(ids).Contains(m.Id)).AsSplitQuery().ToDictionaryAsync(m => m.Id, StringComparer.Ordinal, cancellationToken);

        // Members taken off the roster in the bot are not invited again to meetings to come by a file that still
        // lists them (their invitations were withdrawn when they were deactivated).
        var inactive = (await db.Members.AsNoTracking().Where(m => !m.IsActive).Select(m => m.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var counter = new Counter();
        foreach (var r in records)
        {
            if (!existing.TryGetValue(r.Id, out var meeting))
            {
                // The file has no meeting status: a new meeting is published; an existing one keeps its status
                // (a cancellation made in the bot survives a re-import of the seed file).
                meeting = new Meeting { Id = r.Id, Title = r.Title, Status = MeetingStatus.Published };
                db.Meetings.Add(meeting);
                AddStateChange(StateChangeEntityTypes.Meeting, r.Id, null, MeetingStatus.Published.ToString(), now);
            }

            var was = meeting.Status == MeetingStatus.Published && db.Entry(meeting).State != EntityState.Added ? MeetingChange.AsMembersSeeIt(meeting) : null;
            var (startsAt, endsAt, location) = (r.StartsAt, r.EndsAt, r.Location);
            if (was is not null && was.StartsAt <= now && now < was.EndsAt
                && (r.StartsAt != was.StartsAt || !string.Equals(r.Location, was.Location, StringComparison.Ordinal)))
            {
                // As the staff API refuses it: members are on their way or in the room, and a notice now would come too
                // late. The stored start and place stay (its end too when the file moves the start: the row's times go
                // together); the rest of the row and of the file is imported, and the result says so for this row.
                (startsAt, endsAt, location) = (was.StartsAt, r.StartsAt != was.StartsAt ? was.EndsAt : r.EndsAt, was.Location);
                _warnings.Add(new ImportError(
                    r.Record,
                    r.StartsAt != was.StartsAt ? "startsAt" : "location",
                    "会议已开始，不能再修改开始时间或地点：已保留原来的时间和地点，该条其余内容已导入；如需临时调整，请直接通知参会委员。"));
            }

            meeting.Title = r.Title;
            meeting.Type = r.Type;
            meeting.Location = location;
            meeting.StartsAt = startsAt;
            meeting.EndsAt = endsAt;
            meeting.Capacity = r.Capacity;
            meeting.Participation = r.Participation;
            meeting.SignupDeadline = r.SignupDeadline;
            meeting.InviteAllMembers = r.InviteAllMembers;
            var invitees = r.StartsAt > now && inactive.Count > 0 ? [.. r.Invitees.Where(id => !inactive.Contains(id))] : r.Invitees;
            var changed = SyncSet(meeting.Invitees, invitees, i => i.MemberId, id => new MeetingInvitee { MeetingId = r.Id, MemberId = id, InvitedAt = now });
            changed |= SyncSet(meeting.Groups, r.Groups, g => g.GroupId, id => new MeetingGroup { MeetingId = r.Id, GroupId = id });
            counter.Count(db.Entry(meeting), changed);
            if (db.Entry(meeting).State == EntityState.Modified || (changed && db.Entry(meeting).State != EntityState.Added))
            {
                // As a staff change: a member's sign-up, cancellation or leave request that read the meeting before this
                // import saves against the old version and is checked again on the new seats, deadline and invitees;
                // one saved since this import read it makes the import's save fail, and the file is applied again.
                meeting.Version++;
            }

            if (was is not null)
            {
                await RecordChangeAsync(meeting, was, now, cancellationToken);
                if (meetings is not null && (meeting.Capacity is null ? was.Capacity is not null : meeting.Capacity > was.Capacity))
                {
                    // More seats, or no limit any more: the waitlist moves up in this save (the meeting's version was
                    // bumped above), so a sign-up meanwhile makes the whole import try again on what is stored then.
                    var promoted = await meetings.PromoteIntoFreeSeatsAsync(meeting, _actor, cancellationToken);
                    _promotions.AddRange(promoted.Select(p => (meeting, p.Promoted, p.Notice)));
                }
            }
        }

        return counter.Result;
    }

    /// <summary>
    /// Keeps a change of a published meeting members hear of, as the staff API does: its title, seats, sign-up deadline,
    /// type or way of taking part (with its time and place when those changed too) becomes a <see cref="MeetingChange"/>
    /// with the old values, whose notice the reminder job sends to the invitees and groups; seats alone that leave none
    /// free are no news. A change of time or place alone is the reminder job's move notice (to those expected at the
    /// meeting when it moved), recorded here with the import's time. A meeting under way is changed (not its start or
    /// place) and nobody told, and one that ended is a correction of the record. Each is listed in the result with what
    /// is told.
    /// </summary>
    private async Task RecordChangeAsync(Meeting meeting, Meeting was, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var aspects = MeetingChange.Compare(was, meeting);
        if (aspects == MeetingAspects.None || was.EndsAt <= now)
        {
            return;
        }

        if (was.StartsAt <= now)
        {
            _meetingNotices.Add(new ImportedMeetingChange(meeting.Id, meeting.Title, aspects.ToLabels(), ImportedMeetingChange.UnderWay));
            return;
        }

        if ((aspects & ~(MeetingAspects.Time | MeetingAspects.Place)) == MeetingAspects.None)
        {
            if (meeting.AnnouncedStartsAt is { } toldStart
                && (toldStart != meeting.StartsAt || !string.Equals(meeting.AnnouncedLocation, meeting.Location, StringComparison.Ordinal)))
            {
                // The move as the reminder job records it (old: what members were told), but at the time it was made:
                // who signs up after it saw the new time and place, and is not told they changed.
                db.MeetingChanges.Add(new MeetingChange
                {
                    MeetingId = meeting.Id,
                    OldStartsAt = toldStart,
                    OldEndsAt = meeting.AnnouncedEndsAt ?? toldStart,
                    OldLocation = meeting.AnnouncedLocation,
                    NewStartsAt = meeting.StartsAt,
                    NewEndsAt = meeting.EndsAt,
                    NewLocation = meeting.Location,
                    DetectedAt = now,
                });
                (meeting.AnnouncedStartsAt, meeting.AnnouncedEndsAt, meeting.AnnouncedLocation) = (meeting.StartsAt, meeting.EndsAt, meeting.Location);
            }

            _meetingNotices.Add(new ImportedMeetingChange(
                meeting.Id, meeting.Title, aspects.ToLabels(), meeting.AnnouncedStartsAt is null ? ImportedMeetingChange.NobodyToldYet : ImportedMeetingChange.Moved));
            return;
        }

        if (await Features.Reminders.ReminderPlanner.IsFullAfterSeatsChangeAsync(db, meeting, aspects, cancellationToken))
        {
            // As the staff API: the waitlist takes the new seats, and a notice to all would invite members to a full meeting.
            _meetingNotices.Add(new ImportedMeetingChange(meeting.Id, meeting.Title, aspects.ToLabels(), ImportedMeetingChange.FullNotTold));
            return;
        }

        db.MeetingChanges.Add(MeetingChange.Between(meeting.Id, aspects, _actor, now, was, meeting));
        if (meeting.AnnouncedStartsAt is not null)
        {
            // The change notice names the new time and place: the reminder job's move notice must not tell them again.
            (meeting.AnnouncedStartsAt, meeting.AnnouncedEndsAt, meeting.AnnouncedLocation) = (meeting.StartsAt, meeting.EndsAt, meeting.Location);
        }

        _meetingNotices.Add(new ImportedMeetingChange(meeting.Id, meeting.Title, aspects.ToLabels(), ImportedMeetingChange.Announced));
    }

    private async Task<KindCounts> UpsertProposalsAsync(List<ValidProposal> records, IReadOnlySet<string>? fields, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var serials = records.Select(r => r.Serial).Distinct().ToList();
        var existing = (await db.Proposals.Include(p => p.Proposers).Include(p => p.Units).Include(p => p.History)
                .Where(p => EF.Parameter(serials).Contains(p.Serial)).AsSplitQuery().ToListAsync(cancellationToken))
            .ToDictionary(p => p.Key, StringComparer.Ordinal);
        var counter = new Counter();
        foreach (var r in records)
        {
            var entityId = ProposalNumber.Key(r.Session, r.Serial);
            if (!existing.TryGetValue(entityId, out var proposal))
            {
                proposal = new Proposal { Session = r.Session, Serial = r.Serial, Number = r.Number, Title = r.Title, Status = r.Status };
                db.Proposals.Add(proposal);
                AddStateChange(StateChangeEntityTypes.Proposal, entityId, null, r.Status.ToString(), now);
            }
            else if (proposal.Status != r.Status)
            {
                AddStateChange(StateChangeEntityTypes.Proposal, entityId, proposal.Status.ToString(), r.Status.ToString(), now);
            }

            var isNew = db.Entry(proposal).State == EntityState.Added;
            bool Carries(params string[] columns) => fields is null || isNew || columns.Any(fields.Contains);
            proposal.Number = r.Number;
            proposal.Title = r.Title;
            proposal.Status = r.Status;
            var changed = SyncProposers(proposal, r.Proposers);
            if (Carries("category"))
            {
                proposal.Category = r.Category;
            }

            if (Carries("isKey"))
            {
                proposal.IsKey = r.IsKey;
            }

            if (fields is null)
            {
                proposal.DueAt = r.DueAt;
                proposal.ReplySummary = r.ReplySummary;
            }

            if (Carries("replyClass"))
            {
                proposal.ReplyClass = r.ReplyClass;
            }

            if (Carries("repliedAt"))
            {
                proposal.RepliedAt = r.RepliedAt;
            }

            if (Carries("evaluation"))
            {
                proposal.Evaluation = r.Evaluation;
                proposal.EvaluatedAt = r.EvaluatedAt;
            }

            if (Carries("lead", "co"))
            {
                // A sheet with one of the two unit columns keeps the stored units of the other role.
                var wanted = fields is null || isNew || (fields.Contains("lead") && fields.Contains("co"))
                    ? r.Units
                    : [.. proposal.Units.OrderBy(u => u.Position).Where(u => !fields.Contains(u.Role == UnitRole.Lead ? "lead" : "co")).Select(u => new ValidUnit(u.Name, u.Role)).Concat(r.Units)
                        .OrderBy(u => u.Role)];
                changed |= SyncUnits(proposal, wanted);
            }

            changed |= fields is null || isNew ? SyncHistory(proposal, r.History) : MergeHistory(proposal, r.History);
            counter.Count(db.Entry(proposal), changed);
        }

        return counter.Result;
    }

    private async Task<KindCounts> UpsertOpinionsAsync(List<ValidOpinion> records, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.Id).ToList();
        var existing = await db.Opinions.Include(o => o.History)
            .Where(o => EF.Parameter(ids).Contains(o.Id)).ToDictionaryAsync(o => o.Id, StringComparer.Ordinal, cancellationToken);
        var counter = new Counter();
        foreach (var r in records)
        {
            var changed = false;
            if (!existing.TryGetValue(r.Id, out var opinion))
            {
                // The file carries no opinion history: record the submission, and the current status as of this import.
                opinion = new Opinion { Id = r.Id, Title = r.Title, Content = r.Content, SubmittedById = r.SubmittedById, Status = r.Status };
                opinion.History.Add(new OpinionStatusEntry { OpinionId = r.Id, Status = OpinionStatus.Submitted, At = r.SubmittedAt });
                if (r.Status != OpinionStatus.Submitted)
                {
                    opinion.History.Add(new OpinionStatusEntry { OpinionId = r.Id, Status = r.Status, At = now, Note = ImportNote });
                }

                db.Opinions.Add(opinion);
                AddStateChange(StateChangeEntityTypes.Opinion, r.Id, null, r.Status.ToString(), now);
            }
            else if (opinion.Status != r.Status)
            {
                opinion.History.Add(new OpinionStatusEntry { OpinionId = r.Id, Status = r.Status, At = now, Note = ImportNote });
                AddStateChange(StateChangeEntityTypes.Opinion, r.Id, opinion.Status.ToString(), r.Status.ToString(), now);
                changed = true;
            }

            opinion.Title = r.Title;
            opinion.Content = r.Content;
            opinion.Category = r.Category;
            opinion.SubmittedById = r.SubmittedById;
            opinion.SubmittedAt = r.SubmittedAt;
            opinion.Status = r.Status;
            counter.Count(db.Entry(opinion), changed);
        }

        return counter.Result;
    }

    private void AddStateChange(string entityType, string entityId, string? from, string to, DateTimeOffset now) =>
        db.StateChanges.Add(new StateChange
        {
            EntityType = entityType,
            EntityId = entityId,
            From = from,
            To = to,
            Actor = _actor,
            At = now,
            Note = _actor == StateChangeActors.Import ? ImportNote : null,
        });

    /// <summary>Makes <paramref name="current"/> hold exactly <paramref name="wanted"/> keys; true when it had to change.</summary>
    private static bool SyncSet<T>(List<T> current, List<string> wanted, Func<T, string> key, Func<string, T> create)
    {
        var removed = current.RemoveAll(item => !wanted.Contains(key(item), StringComparer.Ordinal));
        var missing = wanted.Where(id => !current.Any(item => key(item) == id)).ToList();
        current.AddRange(missing.Select(create));
        return removed > 0 || missing.Count > 0;
    }

    // Proposers are matched by member so a reorder updates positions in place instead of deleting and re-adding keys.
    private static bool SyncProposers(Proposal proposal, List<string> wanted)
    {
        var changed = proposal.Proposers.RemoveAll(p => !wanted.Contains(p.MemberId, StringComparer.Ordinal)) > 0;
        for (var position = 0; position < wanted.Count; position++)
        {
            var proposer = proposal.Proposers.Find(p => p.MemberId == wanted[position]);
            if (proposer is null)
            {
                proposal.Proposers.Add(new ProposalProposer { MemberId = wanted[position], Position = position });
                changed = true;
            }
            else if (proposer.Position != position)
            {
                proposer.Position = position;
                changed = true;
            }
        }

        return changed;
    }

    private static bool SyncUnits(Proposal proposal, List<ValidUnit> wanted)
    {
        var changed = proposal.Units.RemoveAll(u => u.Position >= wanted.Count) > 0;
        for (var position = 0; position < wanted.Count; position++)
        {
            var unit = proposal.Units.Find(u => u.Position == position);
            if (unit is null)
            {
                proposal.Units.Add(new ProposalUnit { Position = position, Name = wanted[position].Name, Role = wanted[position].Role });
                changed = true;
            }
            else if (unit.Name != wanted[position].Name || unit.Role != wanted[position].Role)
            {
                unit.Name = wanted[position].Name;
                unit.Role = wanted[position].Role;
                changed = true;
            }
        }

        return changed;
    }

    // The file's history is taken as given: when it differs in any entry, the stored history is replaced by it.
    /// <summary>
    /// Who holds each account. WeCom user ids are case-insensitive (WangJianGuo is wangjianguo); rows stored before that
    /// was checked may hold one account twice, and the first keeps it here rather than failing every import.
    /// </summary>
    private static Dictionary<string, string> ByAccount(IEnumerable<(string? Account, string Id)> holders, StringComparer comparer)
    {
        var byAccount = new Dictionary<string, string>(comparer);
        foreach (var (account, id) in holders)
        {
            if (account is not null)
            {
                byAccount.TryAdd(account, id);
            }
        }

        return byAccount;
    }

    /// <summary>
    /// A sheet's 交办/答复 dates go into a stored proposal's history without dropping what the office recorded since
    /// (审查, 办理中, notes): an entry of the same status takes the sheet's date, a status not there yet is added.
    /// </summary>
    private static bool MergeHistory(Proposal proposal, List<ValidHistoryEntry> fromSheet)
    {
        var changed = false;
        foreach (var entry in fromSheet)
        {
            var stored = proposal.History.Where(h => h.Status == entry.Status).OrderBy(h => h.At).ThenBy(h => h.Id).LastOrDefault();
            if (stored is null)
            {
                proposal.History.Add(new ProposalStatusEntry { Status = entry.Status, At = entry.At, Note = entry.Note });
                changed = true;
            }
            else if (stored.At != entry.At)
            {
                stored.At = entry.At;
                changed = true;
            }
        }

        return changed;
    }

    private static bool SyncHistory(Proposal proposal, List<ValidHistoryEntry> wanted)
    {
        var stored = proposal.History.OrderBy(h => h.Id).Select(h => new ValidHistoryEntry(h.Status, h.At, h.Note));
        if (stored.SequenceEqual(wanted))
        {
            return false;
        }

        proposal.History.Clear();
        proposal.History.AddRange(wanted.Select(h => new ProposalStatusEntry { Status = h.Status, At = h.At, Note = h.Note }));
        return true;
    }

    [LoggerMessage(EventId = 8100, Level = LogLevel.Warning, Message = "Data import rejected: the spreadsheet could not be read ({ExceptionType})")]
    private static partial void LogUnreadable(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Data import applied: {Counts}")]
    private static partial void LogImported(ILogger logger, ImportCounts counts);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Data import rejected with {ErrorCount} validation errors; nothing was written")]
    private static partial void LogRejected(ILogger logger, int errorCount);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Error, Message = "Data import failed while writing ({ExceptionType}); the transaction was rolled back")]
    private static partial void LogWriteFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "Data import met a meeting changed meanwhile (a sign-up, cancellation or leave request); attempt {Attempt} is retried")]
    private static partial void LogRetried(ILogger logger, int attempt);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Data import gave more seats to meeting {MeetingId}: {Count} waitlisted members moved up")]
    private static partial void LogPromoted(ILogger logger, string meetingId, int count);

    private sealed class Counter
    {
        private int _created;
        private int _updated;
        private int _unchanged;

        public KindCounts Result => new(_created, _updated, _unchanged);

        public void Count(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry, bool childrenChanged)
        {
            entry.DetectChanges();
            switch (entry.State)
            {
                case EntityState.Added:
                    _created++;
                    break;
                case EntityState.Modified:
                    _updated++;
                    break;
                default:
                    if (childrenChanged)
                    {
                        _updated++;
                    }
                    else
                    {
                        _unchanged++;
                    }

                    break;
            }
        }
    }
}
