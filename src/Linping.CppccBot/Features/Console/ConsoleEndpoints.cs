using System.Globalization;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Features.Staff;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Console;

/// <summary>
/// The staff console at <c>/console</c>: server-rendered pages behind a login with <c>Admin:ApiKey</c> or
/// <c>Admin:StaffPassword</c>. Every page but the login (and its stylesheet) redirects to the login without a session;
/// every POST checks the antiforgery token.
/// </summary>
public static partial class ConsoleEndpoints
{
    public const string Prefix = "/console";

    /// <summary>The actor recorded in <see cref="StateChange"/> rows for decisions taken in the console.</summary>
    public const string Actor = "console";

    public static IEndpointRouteBuilder MapStaffConsole(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup(Prefix);
        open.MapGet("/console.css", () => Results.Text(ConsoleLayout.Css, "text/css; charset=utf-8"));
        open.MapGet("/login", (HttpContext http, IOptions<AdminOptions> admin, string? returnUrl) => LoginPage(http, admin.Value, returnUrl, null, StatusCodes.Status200OK));
        open.MapPost("/login", LoginAsync);

        var pages = app.MapGroup(Prefix).AddEndpointFilter(RequireSessionAsync);
        pages.MapPost("/logout", async (HttpContext http, BotDbContext db) =>
        {
            // The row goes first: the cookie is then refused on every host, also a copy kept elsewhere.
            await ConsoleSessionStore.EndAsync(db, http.User.FindFirst(ConsoleRegistration.SessionClaim)?.Value, CancellationToken.None);
            await http.SignOutAsync(ConsoleRegistration.Scheme);
            return Results.Redirect(Prefix + "/login");
        });
        pages.MapGet("/", MeetingsPageAsync);
        pages.MapGet("/meetings/{id}", MeetingPageAsync);
        pages.MapGet("/meetings/{id}/signups.csv", (string id, MeetingExportService exports, CancellationToken ct) => StaffExportEndpoints.ExportAsync(exports, id, MeetingExportKind.Signups, false, ct));
        pages.MapGet("/meetings/{id}/signups.xlsx", (string id, MeetingExportService exports, CancellationToken ct) => StaffExportEndpoints.ExportAsync(exports, id, MeetingExportKind.Signups, true, ct));
        pages.MapGet("/meetings/{id}/attendance.csv", (string id, MeetingExportService exports, CancellationToken ct) => StaffExportEndpoints.ExportAsync(exports, id, MeetingExportKind.Attendance, false, ct));
        pages.MapGet("/meetings/{id}/attendance.xlsx", (string id, MeetingExportService exports, CancellationToken ct) => StaffExportEndpoints.ExportAsync(exports, id, MeetingExportKind.Attendance, true, ct));
        pages.MapGet("/leave", LeavePageAsync);
        pages.MapPost("/leave/{id:long}/approve", (long id, HttpContext http, MeetingService meetings, CancellationToken ct) => DecideAsync(http, meetings, id, true, ct));
        pages.MapPost("/leave/{id:long}/reject", (long id, HttpContext http, MeetingService meetings, CancellationToken ct) => DecideAsync(http, meetings, id, false, ct));
        pages.MapGet("/opinions", OpinionsPageAsync);
        pages.MapGet("/opinions/{id}", OpinionPageAsync);
        return app;
    }

    /// <summary>No session: redirect to the login (the cookie handler's challenge). A POST without a valid antiforgery token: 400.</summary>
    private static async ValueTask<object?> RequireSessionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var result = await http.AuthenticateAsync(ConsoleRegistration.Scheme);
        if (!result.Succeeded || result.Principal is null)
        {
            await http.ChallengeAsync(ConsoleRegistration.Scheme);
            return Results.Empty;
        }

        http.User = result.Principal;
        if (HttpMethods.IsPost(http.Request.Method) && !await IsValidFormAsync(http))
        {
            return ExpiredForm(http, signedIn: true);
        }

        return await next(context);
    }

    private static async Task<bool> IsValidFormAsync(HttpContext http)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static IResult ExpiredForm(HttpContext http, bool signedIn) =>
        ConsoleLayout.Page(http, "页面已过期", Html.Of($"""<p class="error">页面已过期或来源不明，操作未执行。请返回刷新页面后重试。</p><p><a href="{Prefix}">返回控制台</a></p>"""), StatusCodes.Status400BadRequest, signedIn);

    // ---- login ----

    private static IResult LoginPage(HttpContext http, AdminOptions admin, string? returnUrl, string? error, int statusCode)
    {
        var closed = string.IsNullOrEmpty(admin.ApiKey) && string.IsNullOrEmpty(admin.StaffPassword);
        var message = closed
            ? Html.Of($"""<p class="error">控制台未开放：请先在设置中配置 Admin:ApiKey 或 Admin:StaffPassword。</p>""")
            : error is null ? Markup.Empty : Html.Of($"""<p class="error" role="alert">{error}</p>""");
        var body = Html.Of($"""
            <div class="login">
            <h1>工作人员登录</h1>
            {message}
            <form method="post" action="{Prefix}/login">
            {ConsoleLayout.Token(http)}
            <input type="hidden" name="returnUrl" value="{LocalReturnUrl(returnUrl)}">
            <label for="secret">员工密钥或密码</label>
            <input type="password" id="secret" name="secret" autocomplete="current-password" required autofocus>
            <button type="submit">登录</button>
            </form>
            </div>
            """);
        return ConsoleLayout.Page(http, "登录", body, statusCode, signedIn: false);
    }

    private static async Task<IResult> LoginAsync(HttpContext http, IOptions<AdminOptions> options, ConsoleLoginThrottle throttle, BotDbContext db, TimeProvider time, ILoggerFactory loggers)
    {
        if (!http.Request.HasFormContentType || !await IsValidFormAsync(http))
        {
            return ExpiredForm(http, signedIn: false);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        var address = http.Connection.RemoteIpAddress;
        var logger = loggers.CreateLogger(typeof(ConsoleEndpoints));
        // The attempt is counted before the secret is compared: parallel requests cannot get more guesses checked.
        if (!await throttle.TryReserveAsync(address))
        {
            LogLoginThrottled(logger);
            var minutes = (int)ConsoleLoginThrottle.Window.TotalMinutes;
            return LoginPage(http, options.Value, returnUrl, $"登录失败次数过多，请 {minutes} 分钟后再试。", StatusCodes.Status429TooManyRequests);
        }

        var admin = options.Value;
        var given = form["secret"].ToString();
        if (ConsoleRegistration.MatchSecret(admin, given) is not { } kind)
        {
            LogLoginFailed(logger);
            return LoginPage(http, admin, returnUrl, "密钥或密码不正确。", StatusCodes.Status401Unauthorized);
        }

        await throttle.RecordSuccessAsync(address);
        var secret = kind == ConsoleRegistration.KeySecret ? admin.ApiKey! : admin.StaffPassword!;
        var session = await ConsoleSessionStore.StartAsync(db, time.GetUtcNow(), http.RequestAborted);
        await http.SignInAsync(ConsoleRegistration.Scheme, ConsoleRegistration.Principal(kind, secret, session), new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        LogLoggedIn(logger, kind);
        return Results.Redirect(LocalReturnUrl(returnUrl));
    }

    /// <summary>Only a path inside the console is followed after login; anything else (another site, <c>//host</c>) goes to the start page.</summary>
    private static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith(Prefix, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && (url.Length == Prefix.Length || url[Prefix.Length] is '/' or '?')
            ? url
            : Prefix;

    // ---- meetings ----

    private static async Task<IResult> MeetingsPageAsync(HttpContext http, MeetingService meetings, BotDbContext db, ChineseTime chineseTime, CancellationToken cancellationToken)
    {
        var upcoming = await meetings.UpcomingAsync(null, cancellationToken);
        var ids = upcoming.Select(v => v.Meeting.Id).ToList();
        var counts = await db.Participations.AsNoTracking()
            .Where(p => ids.Contains(p.MeetingId))
            .GroupBy(p => new { p.MeetingId, p.Status })
            .Select(g => new { g.Key.MeetingId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Count(string meetingId, params ParticipationStatus[] statuses) =>
            counts.Where(c => c.MeetingId == meetingId && statuses.Contains(c.Status)).Sum(c => c.Count);

        var pending = await meetings.PendingLeaveAsync(cancellationToken);
        var rows = upcoming.Select(v =>
        {
            var m = v.Meeting;
            var signedUp = Count(m.Id, ParticipationStatus.SignedUp, ParticipationStatus.CheckedIn);
            return (IReadOnlyList<Markup>)
            [
                Html.Of($"""<a href="{Prefix}/meetings/{Uri.EscapeDataString(m.Id)}">{m.Title}</a>"""),
                Html.Of($"{chineseTime.Range(m.StartsAt, m.EndsAt)}"),
                Html.Of($"{m.Participation.ToLabel()}"),
                Html.Of($"""<span data-count="signedup">{signedUp}</span>{(m.Capacity is { } c ? $" / {c}" : string.Empty)}"""),
                Html.Of($"""<span data-count="waitlisted">{Count(m.Id, ParticipationStatus.Waitlisted)}</span>"""),
                Html.Of($"""<span data-count="leavepending">{Count(m.Id, ParticipationStatus.LeavePending)}</span>"""),
                Html.Of($"""<span data-count="leaveapproved">{Count(m.Id, ParticipationStatus.LeaveApproved)}</span>"""),
            ];
        });
        var leaveNotice = pending.Count > 0
            ? Html.Of($"""<p class="notice">有 {pending.Count} 条请假申请待审批：<a href="{Prefix}/leave">去审批</a></p>""")
            : Markup.Empty;
        var body = Html.Of($"""
            <h1>近期会议与活动</h1>
            {leaveNotice}
            {ConsoleLayout.Table(["会议/活动", "时间", "参加方式", "已报名", "候补", "请假待批", "已准假"], rows, "暂无未结束的会议。")}
            """);
        return ConsoleLayout.Page(http, "会议", body);
    }

    private static async Task<IResult> MeetingPageAsync(string id, HttpContext http, BotDbContext db, MeetingExportService exports, ChineseTime chineseTime, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return ConsoleLayout.Page(http, "没有这个会议", Html.Of($"""<p class="error">没有编号为 {id} 的会议。</p><p><a href="{Prefix}">返回会议列表</a></p>"""), StatusCodes.Status404NotFound);
        }

        var signups = await exports.SignupsAsync(meeting, cancellationToken);
        var attendance = await exports.AttendanceAsync(meeting, cancellationToken);
        var ledger = await LedgerAsync(db, chineseTime, meeting.Id, cancellationToken);
        var path = $"{Prefix}/meetings/{Uri.EscapeDataString(meeting.Id)}";
        var status = meeting.Status == MeetingStatus.Cancelled ? Html.Of($"""<dt>状态</dt><dd class="error">{meeting.Status.ToLabel()}</dd>""") : Markup.Empty;
        var body = Html.Of($"""
            <p><a href="{Prefix}">← 会议列表</a></p>
            <h1>{meeting.Title}</h1>
            <dl>
            <dt>编号</dt><dd>{meeting.Id}</dd>
            <dt>时间</dt><dd>{chineseTime.Range(meeting.StartsAt, meeting.EndsAt)}</dd>
            <dt>地点</dt><dd>{meeting.Location ?? "—"}</dd>
            <dt>类型</dt><dd>{meeting.Type.ToLabel()} · {meeting.Participation.ToLabel()}</dd>
            {status}
            </dl>
            <h2>报名名单</h2>
            <p class="actions"><a class="button" href="{path}/signups.csv" download>导出报名名单 CSV</a><a class="button" href="{path}/signups.xlsx" download>导出报名名单 Excel</a></p>
            {TextTable(signups, "还没有人报名或请假。")}
            <h2>出勤名单</h2>
            <p class="actions"><a class="button secondary" href="{path}/attendance.csv" download>导出出勤名单 CSV</a><a class="button secondary" href="{path}/attendance.xlsx" download>导出出勤名单 Excel</a></p>
            {TextTable(attendance, "没有应出席的人员。")}
            <h2>提醒记录</h2>
            {ledger}
            """);
        return ConsoleLayout.Page(http, meeting.Title, body);
    }

    private static Markup TextTable(ExportTable table, string empty) =>
        ConsoleLayout.Table(table.Headers, table.Rows.Select(row => (IReadOnlyList<Markup>)[.. row.Select(cell => Html.Of($"{cell}"))]), empty);

    /// <summary>The meeting's reminder ledger: who was reached, who not and why.</summary>
    private static async Task<Markup> LedgerAsync(BotDbContext db, ChineseTime chineseTime, string meetingId, CancellationToken cancellationToken)
    {
        var rows = await ReminderLedger.ForMeetingAsync(db, meetingId, cancellationToken);
        var recipientIds = rows.Select(r => r.RecipientId).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => EF.Parameter(recipientIds).Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
        var groups = await db.Groups.AsNoTracking().Where(g => EF.Parameter(recipientIds).Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
        var reached = rows.Count(r => r.Status == ReminderDeliveryStatus.Sent);
        var notReached = rows.Count(r => r.Status is ReminderDeliveryStatus.Invalid or ReminderDeliveryStatus.NoChannel or ReminderDeliveryStatus.Failed);
        var summary = rows.Count == 0
            ? Markup.Empty
            : Html.Of($"""<p>已送达 <strong data-count="reached">{reached}</strong> 条，未送达 <strong data-count="notreached">{notReached}</strong> 条。</p>""");
        var table = ConsoleLayout.Table(
            ["提醒", "对象", "结果", "渠道", "时间"],
            rows.Select(r => (IReadOnlyList<Markup>)
            [
                Html.Of($"{KindLabel(r.Kind)}"),
                Html.Of($"{(r.RecipientType == ReminderRecipientType.Member ? members : groups).GetValueOrDefault(r.RecipientId) ?? "（已删除）"}{(r.RecipientType == ReminderRecipientType.Group ? "（群）" : string.Empty)}"),
                Html.Of($"""<span class="{(r.Status == ReminderDeliveryStatus.Sent ? "reached" : "notreached")}">{StatusLabel(r)}</span>"""),
                Html.Of($"{ChannelLabel(r.Channel)}"),
                Html.Of($"{chineseTime.DateTime(r.SentAt ?? r.ClaimedAt)}"),
            ]),
            "还没有发出提醒。");
        return Html.Of($"{summary}{table}");
    }

    private static string KindLabel(string kind)
    {
        string? label = kind switch
        {
            ReminderDelivery.CancelledKind => "取消通知",
            ReminderDelivery.PublishedKind => "会议通知",
            NoticeDispatcher.LeaveApprovedKind => "准假通知",
            NoticeDispatcher.LeaveRejectedKind => "不准假通知",
            NoticeDispatcher.PromotedKind => "候补转报名通知",
            _ when kind.StartsWith(ReminderDelivery.ChangedKindPrefix, StringComparison.Ordinal) => "变更通知",
            _ when ReminderDelivery.MovedChangeId(kind) is not null => "改期通知",
            _ when ReminderDelivery.IsUninvitedKind(kind) => "无需参会通知",
            _ => null,
        };
        if (label is not null)
        {
            return label;
        }

        if (!TimeSpan.TryParseExact(kind, "c", CultureInfo.InvariantCulture, out var offset))
        {
            return "通知";
        }

        return offset switch
        {
            { TotalDays: >= 1 } when offset.TotalDays % 1 == 0 => $"会前{offset.TotalDays:0}天",
            { TotalHours: >= 1 } when offset.TotalHours % 1 == 0 => $"会前{offset.TotalHours:0}小时",
            _ => $"会前{offset.TotalMinutes:0}分钟",
        };
    }

    private static string StatusLabel(ReminderDelivery row) => row.Status switch
    {
        ReminderDeliveryStatus.Sent => "已送达",
        ReminderDeliveryStatus.Invalid => "未送达：账号无效或不在应用可见范围内",
        ReminderDeliveryStatus.NoChannel => "未送达：没有可用的联系渠道",
        ReminderDeliveryStatus.Failed => $"暂未送达，稍后重试（{row.Error ?? "未知原因"}{(row.ErrCode is { } code ? $"，错误码 {code}" : string.Empty)}）",
        ReminderDeliveryStatus.Pending => "发送中",
        ReminderDeliveryStatus.Obsolete => "已作废（会议变动或已取消报名）",
        _ => row.Status.ToString(),
    };

    private static string ChannelLabel(string? channel) => channel switch
    {
        null => "—",
        "WeCom" => "企业微信",
        "DingTalk" => "钉钉",
        _ => channel,
    };

    // ---- leave ----

    // The decision's outcome comes back in the query of the redirect; read leniently, so an empty or stale value (a
    // second click on a decided row has no "told") shows the page rather than failing to bind.
    private static async Task<IResult> LeavePageAsync(HttpContext http, MeetingService meetings, BotDbContext db, ChineseTime chineseTime, string? decided, string? outcome, string? told, CancellationToken cancellationToken)
    {
        var notice = long.TryParse(decided, NumberStyles.None, CultureInfo.InvariantCulture, out var participationId)
            ? await DecisionNoticeAsync(db, participationId, ParseOrNull<LeaveDecisionOutcome>(outcome), ParseOrNull<NotificationOutcome>(told), cancellationToken)
            : Markup.Empty;
        var pending = await meetings.PendingLeaveAsync(cancellationToken);
        var token = ConsoleLayout.Token(http);
        var rows = pending.Select(leave => (IReadOnlyList<Markup>)
        [
            LeaveMeetingCell(leave.Meeting, chineseTime),
            Html.Of($"{leave.MemberName}"),
            Html.Of($"{leave.Reason?.ToLabel() ?? "—"}"),
            Html.Of($"{leave.Note ?? "—"}"),
            Html.Of($"{chineseTime.DateTime(leave.RequestedAt)}"),
            Html.Of($"""
                <div class="actions" data-leave="{leave.ParticipationId}">
                <form method="post" action="{Prefix}/leave/{leave.ParticipationId}/approve">{token}<button type="submit">批准</button></form>
                <form method="post" action="{Prefix}/leave/{leave.ParticipationId}/reject">{token}<input type="text" name="reason" maxlength="200" placeholder="驳回理由（可不填）" aria-label="驳回理由"><button type="submit" class="secondary">驳回</button></form>
                </div>
                """),
        ]);
        var refused = (await meetings.RefusedLeaveAsync(cancellationToken)).Select(r => (IReadOnlyList<Markup>)
        [
            LeaveMeetingCell(r.Leave.Meeting, chineseTime),
            Html.Of($"{r.Leave.MemberName}"),
            Html.Of($"{r.Leave.Reason?.ToLabel() ?? "—"}"),
            Html.Of($"{r.Leave.Note ?? "—"}"),
            Html.Of($"{r.RefusalReason ?? "—"}<br><span class=\"muted\">{chineseTime.DateTime(r.RefusedAt)}</span>"),
            Html.Of($"""
                <div class="actions" data-refused="{r.Leave.ParticipationId}">
                <form method="post" action="{Prefix}/leave/{r.Leave.ParticipationId}/approve">{token}<button type="submit" class="secondary">改为准假</button></form>
                </div>
                """),
        ]);
        var body = Html.Of($"""
            <h1>请假审批</h1>
            {notice}
            <p class="muted">请假说明仅供审批，不会出现在导出名单中。批准或驳回后，系统会通知本人。会议开始时仍未审批的请假也在这里，标明会议已开始或已结束，可事后审批。</p>
            {ConsoleLayout.Table(["会议", "委员", "类别", "说明", "申请时间", "审批"], rows, "没有待审批的请假申请。")}
            <h2>未准的请假</h2>
            <p class="muted">委员说明了新情况、经复核可以准假的，可在这里改为准假（会议结束 {MeetingService.RefusedLeaveShownFor.Days} 天内），系统会通知本人此前的不准假通知作废。已准的请假不能改为不准。</p>
            {ConsoleLayout.Table(["会议", "委员", "类别", "说明", "驳回理由", "复核"], refused, "没有未准的请假。")}
            """);
        return ConsoleLayout.Page(http, "请假审批", body);
    }

    /// <summary>The meeting of a leave request, as both leave tables show it: its link, its time, and 会议已开始 / 已结束.</summary>
    private static Markup LeaveMeetingCell(Meeting meeting, ChineseTime chineseTime) =>
        Html.Of($"""<a href="{Prefix}/meetings/{Uri.EscapeDataString(meeting.Id)}">{meeting.Title}</a><br><span class="muted">{chineseTime.DateTime(meeting.StartsAt)}</span>{LateLeave(meeting, chineseTime.Now)}""");

    /// <summary>A request still undecided when its meeting began, marked as the chat's list marks it (会议已开始 / 会议已结束).</summary>
    private static Markup LateLeave(Meeting meeting, DateTimeOffset now) =>
        MeetingTexts.LateLeave(meeting, now) is { } label ? Html.Of($"""<br><strong data-late="true">{label}</strong>""") : Markup.Empty;

    private static async Task<IResult> DecideAsync(HttpContext http, MeetingService meetings, long id, bool approve, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var reason = form["reason"].ToString();
        if (reason.Length > 200)
        {
            reason = reason[..200];
        }

        var result = await meetings.DecideLeaveAsync(id, Actor, approve, approve ? null : reason, cancellationToken);
        return Results.Redirect(string.Create(CultureInfo.InvariantCulture, $"{Prefix}/leave?decided={id}&outcome={result.Outcome}{(result.MemberTold is { } told ? $"&told={told}" : "")}"));
    }

    private static T? ParseOrNull<T>(string? value)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    private static async Task<Markup> DecisionNoticeAsync(BotDbContext db, long participationId, LeaveDecisionOutcome? outcome, NotificationOutcome? told, CancellationToken cancellationToken)
    {
        var row = await (from p in db.Participations.AsNoTracking()
                         join m in db.Meetings.AsNoTracking() on p.MeetingId equals m.Id
                         join member in db.Members.AsNoTracking() on p.MemberId equals member.Id
                         where p.Id == participationId
                         select new { p.Status, Meeting = m.Title, MeetingId = m.Id, member.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || outcome is null)
        {
            return Html.Of($"""<p class="error" role="status">没有找到这条请假申请。</p>""");
        }

        var link = Html.Of($"""<a href="{Prefix}/meetings/{Uri.EscapeDataString(row.MeetingId)}">{row.Meeting}</a>""");
        return outcome switch
        {
            LeaveDecisionOutcome.Decided when row.Status == ParticipationStatus.LeaveApproved =>
                Html.Of($"""<p class="notice" role="status">已批准 {row.Name} 对「{link}」的请假（{row.Status.ToLabel()}），{MeetingTexts.Told(told)}</p>"""),
            LeaveDecisionOutcome.Decided =>
                Html.Of($"""<p class="notice" role="status">已驳回 {row.Name} 对「{link}」的请假（{row.Status.ToLabel()}），{MeetingTexts.Told(told)}</p>"""),
            LeaveDecisionOutcome.AlreadyDecided =>
                Html.Of($"""<p class="error" role="status">{row.Name} 的这条请假已经处理过了（现为 {row.Status.ToLabel()}），未再改动。</p>"""),
            LeaveDecisionOutcome.MeetingCancelled =>
                Html.Of($"""<p class="error" role="status">会议已取消，{row.Name} 的这条请假无需再审批，未作改动。</p>"""),
            _ => Html.Of($"""<p class="error" role="status">没有找到这条请假申请。</p>"""),
        };
    }

    // ---- 社情民意 ----

    private static async Task<IResult> OpinionsPageAsync(HttpContext http, BotDbContext db, ChineseTime chineseTime, CancellationToken cancellationToken)
    {
        var rows = await (from o in db.Opinions.AsNoTracking()
                          join m in db.Members.AsNoTracking() on o.SubmittedById equals m.Id into submitters
                          from m in submitters.DefaultIfEmpty()
                          where o.Status == OpinionStatus.Submitted
                          select new { o.Id, o.Title, o.Category, o.SubmittedAt, Name = m == null ? null : m.Name })
            .ToListAsync(cancellationToken);
        var table = ConsoleLayout.Table(
            ["编号", "标题", "类别", "报送人", "报送时间"],
            rows.OrderByDescending(r => r.SubmittedAt).Select(r => (IReadOnlyList<Markup>)
            [
                Html.Of($"{r.Id}"),
                Html.Of($"""<a href="{Prefix}/opinions/{Uri.EscapeDataString(r.Id)}">{r.Title}</a>"""),
                Html.Of($"{r.Category ?? "—"}"),
                Html.Of($"{r.Name ?? "—"}"),
                Html.Of($"{chineseTime.DateTime(r.SubmittedAt)}"),
            ]),
            "没有新报送的社情民意信息。");
        var body = Html.Of($"""
            <h1>新报送的社情民意信息</h1>
            <p class="muted">状态为“已报送”、尚未处理的信息，最新的在前。</p>
            {table}
            """);
        return ConsoleLayout.Page(http, "社情民意", body);
    }

    private static async Task<IResult> OpinionPageAsync(string id, HttpContext http, BotDbContext db, ChineseTime chineseTime, CancellationToken cancellationToken)
    {
        var opinion = await db.Opinions.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (opinion is null)
        {
            return ConsoleLayout.Page(http, "没有这条信息", Html.Of($"""<p class="error">没有编号为 {id} 的社情民意信息。</p><p><a href="{Prefix}/opinions">返回列表</a></p>"""), StatusCodes.Status404NotFound);
        }

        var name = await db.Members.AsNoTracking().Where(m => m.Id == opinion.SubmittedById).Select(m => m.Name).FirstOrDefaultAsync(cancellationToken);
        var body = Html.Of($"""
            <p><a href="{Prefix}/opinions">← 社情民意列表</a></p>
            <h1>{opinion.Title}</h1>
            <dl>
            <dt>编号</dt><dd>{opinion.Id}</dd>
            <dt>报送人</dt><dd>{name ?? "—"}</dd>
            <dt>报送时间</dt><dd>{chineseTime.DateTime(opinion.SubmittedAt)}</dd>
            <dt>类别</dt><dd>{opinion.Category ?? "—"}</dd>
            <dt>状态</dt><dd>{opinion.Status.ToLabel()}</dd>
            </dl>
            <div class="content">{opinion.Content}</div>
            """);
        return ConsoleLayout.Page(http, opinion.Title, body);
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Staff console login with the {Secret}")]
    private static partial void LogLoggedIn(ILogger logger, string secret);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Staff console login refused: wrong secret")]
    private static partial void LogLoginFailed(ILogger logger);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Staff console login refused: too many failures from this address")]
    private static partial void LogLoginThrottled(ILogger logger);
}
