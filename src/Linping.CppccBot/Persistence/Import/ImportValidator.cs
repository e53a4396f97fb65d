using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Persistence.Import;

/// <summary>
/// Checks a whole data file and collects every problem before anything is written. Messages are Chinese (the office
/// staff read them) and name the record as <c>collection[index] (id)</c> plus the field. They never echo names, phone
/// numbers or texts; only ids and enum values.
/// </summary>
internal sealed partial class ImportValidator(ExistingKeys existing)
{
    private const string Required = "缺少必填值";
    private const string InvalidTime = "不是有效的时间（应为带时区偏移的 ISO 8601，如 2027-03-18T14:30:00+08:00）";

    private readonly List<ImportError> _errors = [];

    public IReadOnlyList<ImportError> Errors => _errors;

    /// <summary>The most records of one kind a single import takes.</summary>
    public const int MaxRecordsPerList = 5000;

    public ValidData? Validate(ImportDocument? document)
    {
        if (document is null)
        {
            _errors.Add(new ImportError("$", "", "文件为空"));
            return null;
        }

        if (document.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            _errors.Add(new ImportError("$", "timeZone", $"未知的时区“{zone}”"));
        }

        var errorsBefore = _errors.Count;

        // A district has hundreds of members and proposals a year; a file far beyond that is a mistake (a whole
        // province's roster, a runaway export) and would only strain the database in one transaction.
        foreach (var (list, count, what) in new[]
        {
            ("members", document.Members?.Count ?? 0, "委员"), ("staff", document.Staff?.Count ?? 0, "工作人员"),
            ("groups", document.Groups?.Count ?? 0, "群"), ("meetings", document.Meetings?.Count ?? 0, "会议"),
            ("proposals", document.Proposals?.Count ?? 0, "提案"), ("opinions", document.Opinions?.Count ?? 0, "社情民意信息"),
        })
        {
            if (count > MaxRecordsPerList)
            {
                _errors.Add(new ImportError(list, "", string.Create(CultureInfo.InvariantCulture, $"一次最多导入 {MaxRecordsPerList} 条{what}记录，这份有 {count} 条；请检查文件或分批导入")));
            }
        }

        if (_errors.Count > errorsBefore)
        {
            // Checking each of so many rows would only bury this answer.
            return null;
        }

        var members = ValidateMembers(document.Members ?? []);
        var memberIds = new HashSet<string>(existing.MemberIds, StringComparer.Ordinal);
        memberIds.UnionWith(members.Select(m => m.Id));
        var staff = ValidateStaff(document.Staff ?? []);
        var groups = ValidateGroups(document.Groups ?? []);
        var groupIds = new HashSet<string>(existing.GroupIds, StringComparer.Ordinal);
        groupIds.UnionWith(groups.Select(g => g.Id));
        var meetings = ValidateMeetings(document.Meetings ?? [], memberIds, groupIds);
        var proposals = ValidateProposals(document.Proposals ?? [], memberIds, fromSheet: document.ProposalFields is not null);
        var opinions = ValidateOpinions(document.Opinions ?? [], memberIds);

        return _errors.Count == 0 ? new ValidData(members, staff, groups, meetings, proposals, opinions) : null;
    }

    private List<ValidMember> ValidateMembers(IReadOnlyList<MemberRecord?> records)
    {
        var result = new List<ValidMember>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var weCom = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // WeCom user ids ignore case
        var dingTalk = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var id = Key(r?.Id);
            var at = RecordName("members", i, id);
            if (r is null)
            {
                _errors.Add(new ImportError(at, "", "记录为空"));
                continue;
            }

            var errorsBefore = _errors.Count;
            CheckId(at, id, ids);
            var name = RequireName(at, "name", r.Name);
            var weComId = Key(r.WecomUserId);
            var dingTalkId = Key(r.DingtalkUserId);
            CheckAccount(at, "wecomUserId", id, weComId, weCom, existing.MemberIdByWeCom, "委员");
            CheckAccount(at, "dingtalkUserId", id, dingTalkId, dingTalk, existing.MemberIdByDingTalk, "委员");
            var committees = TextList(at, "committees", r.Committees);
            var preferred = PreferredApp(at, r.PreferredApp);
            var mobile = Key(r.Mobile);
            if (mobile is not null && !MobilePattern().IsMatch(mobile))
            {
                // The value is personal data: the message does not repeat it.
                _errors.Add(new ImportError(at, "mobile", "手机号码格式不正确（应为数字，可含 +、- 和空格）"));
            }

            if (_errors.Count == errorsBefore)
            {
                result.Add(new ValidMember(id!, name!, weComId, dingTalkId, TextInput.Name(r.Sector), committees, TextInput.Name(r.Studio), r.IsStandingMember ?? false, preferred, mobile));
            }
        }

        return result;
    }

    private List<ValidStaff> ValidateStaff(IReadOnlyList<StaffRecord?> records)
    {
        var result = new List<ValidStaff>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var weCom = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // WeCom user ids ignore case
        var dingTalk = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var id = Key(r?.Id);
            var at = RecordName("staff", i, id);
            if (r is null)
            {
                _errors.Add(new ImportError(at, "", "记录为空"));
                continue;
            }

            var errorsBefore = _errors.Count;
            CheckId(at, id, ids);
            var name = RequireName(at, "name", r.Name);
            var weComId = Key(r.WecomUserId);
            var dingTalkId = Key(r.DingtalkUserId);
            CheckAccount(at, "wecomUserId", id, weComId, weCom, existing.StaffIdByWeCom, "工作人员");
            CheckAccount(at, "dingtalkUserId", id, dingTalkId, dingTalk, existing.StaffIdByDingTalk, "工作人员");
            var roles = TextList(at, "roles", r.Roles);
            for (var k = 0; k < roles.Count; k++)
            {
                if (!StaffRoles.All.Contains(roles[k]))
                {
                    _errors.Add(new ImportError(at, $"roles[{k}]", $"未知的角色“{roles[k]}”，可选：{string.Join("、", StaffRoles.All.Order(StringComparer.Ordinal))}"));
                }
            }

            if (_errors.Count == errorsBefore)
            {
                result.Add(new ValidStaff(id!, name!, weComId, dingTalkId, roles.Distinct(StringComparer.Ordinal).ToList()));
            }
        }

        return result;
    }

    private List<ValidGroup> ValidateGroups(IReadOnlyList<GroupRecord?> records)
    {
        var result = new List<ValidGroup>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var id = Key(r?.Id);
            var at = RecordName("groups", i, id);
            if (r is null)
            {
                _errors.Add(new ImportError(at, "", "记录为空"));
                continue;
            }

            var errorsBefore = _errors.Count;
            CheckId(at, id, ids);
            var name = RequireText(at, "name", r.Name);
            var wecomKey = RobotKey(at, "wecomWebhookKey", r.WecomWebhookKey, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "key", "企业微信群机器人");
            var token = RobotKey(at, "dingtalkWebhook.accessToken", r.DingtalkWebhook?.AccessToken, "https://oapi.dingtalk.com/robot/send", "access_token", "钉钉群机器人");
            var secret = TextInput.Identifier(r.DingtalkWebhook?.Secret);
            if (r.DingtalkWebhook is not null && Clean(r.DingtalkWebhook.AccessToken) is null)
            {
                _errors.Add(new ImportError(at, "dingtalkWebhook.accessToken", Required));
            }

            if (secret is not null && !RobotSecretPattern().IsMatch(secret))
            {
                // The secret is never echoed: it signs every message to the group.
                _errors.Add(new ImportError(at, "dingtalkWebhook.secret", "加签密钥应以 SEC 开头，只含字母和数字（钉钉机器人“安全设置 → 加签”中的密钥）"));
            }

            if (_errors.Count == errorsBefore)
            {
                result.Add(new ValidGroup(id!, name!, wecomKey, token, secret));
            }
        }

        return result;
    }

    private List<ValidMeeting> ValidateMeetings(IReadOnlyList<MeetingRecord?> records, HashSet<string> memberIds, HashSet<string> groupIds)
    {
        var result = new List<ValidMeeting>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var id = Key(r?.Id);
            var at = RecordName("meetings", i, id);
            if (r is null)
            {
                _errors.Add(new ImportError(at, "", "记录为空"));
                continue;
            }

            var errorsBefore = _errors.Count;
            CheckId(at, id, ids);
            var title = RequireText(at, "title", r.Title);
            var type = RequireEnum<MeetingType>(at, "type", r.Type);
            var startsAt = RequireTime(at, "startsAt", r.StartsAt);
            var endsAt = RequireTime(at, "endsAt", r.EndsAt);
            if (startsAt is not null && endsAt is not null && endsAt <= startsAt)
            {
                _errors.Add(new ImportError(at, "endsAt", "结束时间必须晚于开始时间 startsAt"));
            }

            if (r.Capacity is <= 0)
            {
                _errors.Add(new ImportError(at, "capacity", "名额必须大于 0，不限名额请写 null"));
            }

            var participation = RequireEnum<ParticipationMode>(at, "participation", r.Participation);
            var deadline = OptionalTime(at, "signupDeadline", r.SignupDeadline);
            if (deadline is not null && startsAt is not null && deadline > startsAt)
            {
                _errors.Add(new ImportError(at, "signupDeadline", "报名截止时间不能晚于开始时间 startsAt"));
            }

            var inviteAll = false;
            var invitees = new List<string>();
            if (r.Invitees is null || r.Invitees.Count == 0)
            {
                _errors.Add(new ImportError(at, "invitees", "缺少必填值（全体委员请写 [\"*\"]）"));
            }
            else if (r.Invitees.Any(x => Clean(x) == "*"))
            {
                inviteAll = true;
                if (r.Invitees.Count > 1)
                {
                    _errors.Add(new ImportError(at, "invitees", "\"*\"（全体委员）不能与委员 id 同时出现"));
                }
            }
            else
            {
                invitees = References(at, "invitees", r.Invitees, memberIds, "委员");
            }

            var groups = References(at, "groups", r.Groups ?? [], groupIds, "群");
            if (_errors.Count == errorsBefore)
            {
                var meeting = new ValidMeeting(
                    id!, title!, type!.Value, Clean(r.Location), startsAt!.Value, endsAt!.Value, r.Capacity, participation!.Value, deadline, inviteAll, invitees, groups)
                {
                    Record = at,
                };
                if (existing.MeetingsById.TryGetValue(meeting.Id, out var stored) && !CheckStoredMeeting(at, meeting, stored))
                {
                    continue;
                }

                result.Add(meeting);
            }
        }

        return result;
    }

    /// <summary>
    /// What the staff API refuses, a file may not do either: leave fewer seats than members signed up, or change a
    /// cancelled meeting (its members were told it is off; a file that repeats it as it is stays fine).
    /// </summary>
    private bool CheckStoredMeeting(string at, ValidMeeting meeting, StoredMeeting stored)
    {
        if (stored.Status == MeetingStatus.Cancelled && !stored.SameFields(meeting))
        {
            _errors.Add(new ImportError(at, "", "该会议已取消，不能再修改；如要重新安排，请用新的会议 id"));
            return false;
        }

        if (meeting.Capacity is { } capacity && capacity < stored.SeatsTaken)
        {
            _errors.Add(new ImportError(at, "capacity", string.Create(CultureInfo.InvariantCulture, $"名额不能少于已报名的 {stored.SeatsTaken} 人")));
            return false;
        }

        return true;
    }

    private List<ValidProposal> ValidateProposals(IReadOnlyList<ProposalRecord?> records, HashSet<string> memberIds, bool fromSheet)
    {
        var result = new List<ValidProposal>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var number = TextInput.Identifier(r?.Number);
            var at = RecordName("proposals", i, number ?? r?.Serial?.ToString(CultureInfo.InvariantCulture));
            if (r is null)
            {
                _errors.Add(new ImportError(at, "", "记录为空"));
                continue;
            }

            var errorsBefore = _errors.Count;
            if (r.Serial is null)
            {
                _errors.Add(new ImportError(at, "serial", Required));
            }
            else if (r.Serial <= 0)
            {
                _errors.Add(new ImportError(at, "serial", "序号必须是正整数"));
            }

            // Proposals are numbered anew in each session: the key is the session of the number and the serial.
            string? key = null;
            var session = "";
            if (number is null)
            {
                _errors.Add(new ImportError(at, "number", Required));
            }
            else if (!ProposalNumber.TryParse(number, out session, out var numbered))
            {
                _errors.Add(new ImportError(at, "number", "案号格式应为“一届五次第0012号”"));
            }
            else if (r.Serial is > 0 && numbered != r.Serial)
            {
                _errors.Add(new ImportError(at, "number", $"案号中的序号与 serial {r.Serial} 不一致"));
            }
            else if (!keys.TryAdd(key = ProposalNumber.Key(session, numbered), at))
            {
                // 一届五次第12号 and 一届五次第0012号 are one proposal written two ways.
                _errors.Add(new ImportError(at, "number", numbers.TryGetValue(number, out var same)
                    ? $"案号重复，与 {same} 相同"
                    : $"与 {keys[key]} 的案号届次和序号相同，是同一件提案"));
            }
            else
            {
                numbers.TryAdd(number, at);
            }

            var title = RequireText(at, "title", r.Title);
            var proposers = new List<string>();
            if (r.Proposers is null || r.Proposers.Count == 0)
            {
                _errors.Add(new ImportError(at, "proposers", "至少需要一名提案人（第一位为第一提案人）"));
            }
            else
            {
                proposers = References(at, "proposers", r.Proposers, memberIds, "委员");
            }

            var status = RequireEnum<ProposalStatus>(at, "status", r.Status);
            if (fromSheet && status is { } sheetStatus && key is not null
                && existing.ProposalsByKey.TryGetValue(key, out var stored) && GoesBack(stored.Status, sheetStatus))
            {
                _errors.Add(new ImportError(at, "status", $"提案当前为“{stored.Status.ToLabel()}”，表格中为“{sheetStatus.ToLabel()}”：导入不能把办理状态改回去（表格可能是旧的）；改状态请用 POST /api/admin/proposals/{stored.Number}/status"));
            }

            var units = new List<ValidUnit>();
            var unitRecords = r.Units ?? [];
            for (var k = 0; k < unitRecords.Count; k++)
            {
                var unit = unitRecords[k];
                var unitName = RequireName(at, $"units[{k}].name", unit?.Name);
                var role = RequireEnum<UnitRole>(at, $"units[{k}].role", unit?.Role);
                if (unitName is not null && role is not null)
                {
                    units.Add(new ValidUnit(unitName, role.Value));
                }
            }

            if (units.Count(u => u.Role == UnitRole.Lead) > 1)
            {
                _errors.Add(new ImportError(at, "units", "只能有一个主办单位（role 为 Lead）"));
            }

            var history = new List<ValidHistoryEntry>();
            var historyRecords = r.History ?? [];
            for (var k = 0; k < historyRecords.Count; k++)
            {
                var entry = historyRecords[k];
                var entryStatus = RequireEnum<ProposalStatus>(at, $"history[{k}].status", entry?.Status);
                var entryAt = RequireTime(at, $"history[{k}].at", entry?.At);
                if (entryStatus is not null && entryAt is not null)
                {
                    history.Add(new ValidHistoryEntry(entryStatus.Value, entryAt.Value, TextInput.MultiLine(entry?.Note)));
                }
            }

            var dueAt = OptionalTime(at, "dueAt", r.DueAt);
            AnswerClass? replyClass = null;
            DateTimeOffset? repliedAt = null;
            if (r.Reply is not null)
            {
                replyClass = RequireEnum<AnswerClass>(at, "reply.resultClass", r.Reply.ResultClass);
                repliedAt = RequireTime(at, "reply.repliedAt", r.Reply.RepliedAt);
            }

            EvaluationResult? evaluation = null;
            DateTimeOffset? evaluatedAt = null;
            if (r.Evaluation is not null)
            {
                evaluation = RequireEnum<EvaluationResult>(at, "evaluation.result", r.Evaluation.Result);
                evaluatedAt = RequireTime(at, "evaluation.at", r.Evaluation.At);
            }

            if (_errors.Count == errorsBefore)
            {
                result.Add(new ValidProposal(
                    session, r.Serial!.Value, number!, title!, proposers, Clean(r.Category), r.IsKey ?? false, status!.Value, units, history, dueAt,
                    replyClass, TextInput.MultiLine(r.Reply?.Summary), repliedAt, evaluation, evaluatedAt));
            }
        }

        return result;
    }

    private List<ValidOpinion> ValidateOpinions(IReadOnlyList<OpinionRecord?> records, HashSet<string> memberIds)
    {
        var result = new List<ValidOpinion>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var id = Key(r?.Id);
            var at = RecordName("opinions", i, id);
            if (r is null)
            {
                _errors.Add(new ImportError(at, "", "记录为空"));
                continue;
            }

            var errorsBefore = _errors.Count;
            CheckId(at, id, ids);
            var title = RequireText(at, "title", r.Title);
            var content = RequireText(at, "content", r.Content, multiLine: true);
            var submittedBy = RequireText(at, "submittedBy", TextInput.Identifier(r.SubmittedBy));
            if (submittedBy is not null && !memberIds.Contains(submittedBy))
            {
                _errors.Add(new ImportError(at, "submittedBy", $"引用了不存在的委员 {submittedBy}"));
            }

            var status = RequireEnum<OpinionStatus>(at, "status", r.Status);
            var submittedAt = RequireTime(at, "submittedAt", r.SubmittedAt);
            if (_errors.Count == errorsBefore)
            {
                result.Add(new ValidOpinion(id!, title!, content!, Clean(r.Category), submittedBy!, submittedAt!.Value, status!.Value));
            }
        }

        return result;
    }

    private static string RecordName(string collection, int index, string? id) =>
        id is null ? $"{collection}[{index}]" : $"{collection}[{index}] ({id})";

    /// <summary>
    /// A group robot's key (WeCom <c>key</c>, DingTalk <c>access_token</c>) as given, or taken from the whole webhook
    /// address, which is what staff copy from the app. Anything else (a wrong address, text around the key) is an error
    /// rather than a group whose reminders fail later. The value is never echoed: it lets anyone post to the group.
    /// </summary>
    private string? RobotKey(string at, string field, string? value, string address, string parameter, string robot)
    {
        var text = TextInput.Identifier(value);
        if (text is null)
        {
            return null;
        }

        if (text.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            var expected = new Uri(address);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0 || !uri.IsDefaultPort
                || !string.Equals(uri.Host, expected.Host, StringComparison.OrdinalIgnoreCase) || !string.Equals(uri.AbsolutePath, expected.AbsolutePath, StringComparison.Ordinal))
            {
                _errors.Add(new ImportError(at, field, $"不是{robot}的 Webhook 地址（应为 {address}?{parameter}=…）"));
                return null;
            }

            text = uri.Query.TrimStart('?').Split('&')
                .Select(pair => pair.Split('=', 2))
                .Where(pair => pair.Length == 2 && pair[0] == parameter)
                .Select(pair => Uri.UnescapeDataString(pair[1]))
                .FirstOrDefault();
            if (string.IsNullOrEmpty(text))
            {
                _errors.Add(new ImportError(at, field, $"Webhook 地址中没有 {parameter}=…"));
                return null;
            }
        }

        if (!RobotKeyPattern().IsMatch(text))
        {
            _errors.Add(new ImportError(at, field, $"{robot}的 {parameter} 只含字母、数字、“-”和“_”；也可以直接粘贴完整的 Webhook 地址"));
            return null;
        }

        return text;
    }

    /// <summary>One line of text, trimmed, without control, bidi or invisible characters; null when nothing is left (<see cref="TextInput"/>).</summary>
    private static string? Clean(string? value) => TextInput.SingleLine(value);

    /// <summary>
    /// An id, account or number as typed on a Chinese keyboard: full-width letters and digits (Ｍ２１３, ｔ２１３) are the
    /// same characters in half width (M213, t213), as the platforms and every other row have them.
    /// </summary>
    private static string? Key(string? value) => TextInput.Identifier(value?.Normalize(System.Text.NormalizationForm.FormKC));

    private void CheckId(string at, string? id, Dictionary<string, string> seen)
    {
        if (id is null)
        {
            _errors.Add(new ImportError(at, "id", Required));
        }
        else if (!seen.TryAdd(id, at))
        {
            _errors.Add(new ImportError(at, "id", $"id 重复，与 {seen[id]} 相同"));
        }
    }

    // Channel accounts identify callers, so one account must belong to one person: unique within the file and
    // not already taken by another person in the database.
    private void CheckAccount(
        string at, string field, string? id, string? account, Dictionary<string, string> seen, IReadOnlyDictionary<string, string> inDatabase, string kind)
    {
        if (account is null)
        {
            return;
        }

        if (!seen.TryAdd(account, at))
        {
            _errors.Add(new ImportError(at, field, $"账号重复，与 {seen[account]} 相同"));
        }
        else if (id is not null && inDatabase.TryGetValue(account, out var owner) && owner != id)
        {
            _errors.Add(new ImportError(at, field, $"账号已属于数据库中的{kind} {owner}"));
        }
    }

    /// <summary>A required text; one that is blank, or only control or bidi characters, is missing.</summary>
    private string? RequireText(string at, string field, string? value, bool multiLine = false)
    {
        var text = multiLine ? TextInput.MultiLine(value) : Clean(value);
        if (text is null)
        {
            _errors.Add(new ImportError(at, field, Required));
        }

        return text;
    }

    /// <summary>A required person's or unit's name (<see cref="TextInput.Name"/>); missing when nothing is left.</summary>
    private string? RequireName(string at, string field, string? value)
    {
        var name = TextInput.Name(value);
        if (name is null)
        {
            _errors.Add(new ImportError(at, field, Required));
        }

        return name;
    }

    /// <summary>Names (committees) or role names, each one a <see cref="TextInput.Name"/>; an empty one is an error.</summary>
    private List<string> TextList(string at, string field, IReadOnlyList<string?>? values)
    {
        var result = new List<string>();
        for (var k = 0; k < (values?.Count ?? 0); k++)
        {
            if (TextInput.Name(values![k]) is { } text)
            {
                result.Add(text);
            }
            else
            {
                _errors.Add(new ImportError(at, $"{field}[{k}]", "不能为空"));
            }
        }

        return result;
    }

    private List<string> References(string at, string field, IReadOnlyList<string?> values, HashSet<string> known, string kind)
    {
        var result = new List<string>();
        for (var k = 0; k < values.Count; k++)
        {
            var reference = Key(values[k]);
            if (reference is null)
            {
                _errors.Add(new ImportError(at, $"{field}[{k}]", "不能为空"));
            }
            else if (!known.Contains(reference))
            {
                _errors.Add(new ImportError(at, $"{field}[{k}]", $"引用了不存在的{kind} {reference}"));
            }
            else if (result.Contains(reference, StringComparer.Ordinal))
            {
                _errors.Add(new ImportError(at, $"{field}[{k}]", $"{reference} 重复出现"));
            }
            else
            {
                result.Add(reference);
            }
        }

        return result;
    }

    /// <summary>Optional 首选应用: <c>WeCom</c> / <c>DingTalk</c> or 企业微信 / 钉钉.</summary>
    private MessagingApp? PreferredApp(string at, string? value)
    {
        var text = Clean(value);
        if (text is null)
        {
            return null;
        }

        if (Labels.TryParseMessagingApp(text, out var app))
        {
            return app;
        }

        _errors.Add(new ImportError(at, "preferredApp", $"未知的取值“{text}”，可选：WeCom（企业微信）、DingTalk（钉钉）或留空"));
        return null;
    }

    private TEnum? RequireEnum<TEnum>(string at, string field, string? value)
        where TEnum : struct, Enum
    {
        var text = Clean(value);
        if (text is null)
        {
            _errors.Add(new ImportError(at, field, Required));
            return null;
        }

        // Names only, exact case: Enum.TryParse alone would also accept "3" or "closed".
        if (Enum.GetNames<TEnum>().Contains(text, StringComparer.Ordinal))
        {
            return Enum.Parse<TEnum>(text);
        }

        _errors.Add(new ImportError(at, field, $"未知的取值“{text}”，可选：{string.Join("、", Enum.GetNames<TEnum>())}"));
        return null;
    }

    private DateTimeOffset? RequireTime(string at, string field, string? value)
    {
        if (Clean(value) is null)
        {
            _errors.Add(new ImportError(at, field, Required));
            return null;
        }

        return OptionalTime(at, field, value);
    }

    private DateTimeOffset? OptionalTime(string at, string field, string? value)
    {
        var text = Clean(value);
        if (text is null)
        {
            return null;
        }

        // An explicit offset is required: a bare local time would be read in the server's zone, not Asia/Shanghai.
        if (OffsetSuffix().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time.ToUniversalTime();
        }

        _errors.Add(new ImportError(at, field, InvalidTime));
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{8,128}$")]
    private static partial Regex RobotKeyPattern();

    [GeneratedRegex(@"^SEC[A-Za-z0-9]{8,128}$")]
    private static partial Regex RobotSecretPattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{4,19}$")]
    private static partial Regex MobilePattern();

    /// <summary>Where each status stands in the process; 重新办理 is handling again, 不予立案 ends the review.</summary>
    private static int Stage(ProposalStatus status) => status switch
    {
        ProposalStatus.Submitted => 0,
        ProposalStatus.UnderReview => 1,
        ProposalStatus.Filed or ProposalStatus.NotFiled => 2,
        ProposalStatus.Assigned => 3,
        ProposalStatus.InHandling or ProposalStatus.Rehandling => 4,
        ProposalStatus.Replied => 5,
        _ => 6,
    };

    /// <summary>An earlier stage than the stored one, other than the process's own ways back (重新办理, 复审).</summary>
    private static bool GoesBack(ProposalStatus stored, ProposalStatus wanted) =>
        Stage(wanted) < Stage(stored)
        && !(wanted == ProposalStatus.Rehandling && stored is ProposalStatus.Replied or ProposalStatus.Closed)
        && !(wanted == ProposalStatus.UnderReview && stored == ProposalStatus.NotFiled);

    [GeneratedRegex(@"T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetSuffix();
}
