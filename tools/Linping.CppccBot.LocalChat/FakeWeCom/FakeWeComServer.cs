using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Linping.CppccBot.LocalChat.FakeWeCom;

/// <summary>
/// A fake of WeCom's active-messaging API on loopback (a real Kestrel server), answering like WeCom does per
/// /work/shared/reference/wecom.md §6 and §8: <c>GET /cgi-bin/gettoken</c>, <c>POST /cgi-bin/message/send</c> (text,
/// markdown, template cards checked field by field), <c>POST /cgi-bin/message/update_template_card</c>,
/// <c>POST /cgi-bin/webhook/send</c>, and <c>POST /cgi-bin/menu/create</c> (the app menu, checked against WeCom's
/// limits). It records every accepted message, raises <see cref="MessageAccepted"/> for each,
/// and lets tests revoke tokens early and inject faults. Thread-safe.
/// </summary>
public sealed class FakeWeComServer : IAsyncDisposable
{
    private const int MaxUsersPerCall = 1000;
    private const int MaxAppContentBytes = 2048;
    private const int MaxWebhookTextBytes = 2048;
    private const int MaxWebhookMarkdownBytes = 4096;

    // Template cards (wecom.md §8): ≤6 buttons, keys ≤1024 bytes and unique, task_id ≤128 bytes of [0-9A-Za-z_-@],
    // never reused within the app; a response_code works once, within 72 hours. The reference quotes no errcodes for
    // these rules: the fake answers 40058 (WeCom's general "不合法的参数") with an errmsg naming the rule.
    public const int InvalidParameter = 40058;
    private const int MaxCardButtons = 6;
    private const int MaxButtonKeyBytes = 1024;
    private const int MaxTaskIdBytes = 128;
    private static readonly TimeSpan ResponseCodeLifetime = TimeSpan.FromHours(72);

    // message/send's duplicate check (wecom.md §6.2): with enable_duplicate_check 1, "在一定时间间隔内，同样内容（请求json）的
    // 消息，不会重复收到"; duplicate_check_interval "默认1800s，最大不超过4小时". The reference gives no errcode for a longer
    // interval (the fake answers 40058) nor the answer to a duplicate: the fake answers it as the first was answered and
    // delivers nothing. A duplicate is found before the task_id rule, as the same request JSON carries the same task_id.
    private static readonly TimeSpan DefaultDuplicateCheckInterval = TimeSpan.FromSeconds(1800);
    private static readonly TimeSpan MaxDuplicateCheckInterval = TimeSpan.FromHours(4);
    private const string AnswerLostKey = "fake-wecom-answer-lost";

    private static readonly HashSet<string> CardTypes = new(StringComparer.Ordinal)
    {
        "text_notice", "news_notice", "button_interaction", "vote_interaction", "multiple_interaction",
    };

    // msgtype values message/send knows (doc 90236 via wecom.md §6.2); taskcard is the legacy name still accepted.
    private static readonly HashSet<string> AppMsgTypes = new(StringComparer.Ordinal)
    {
        "text", "image", "voice", "video", "file", "textcard", "news", "mpnews", "markdown", "miniprogram_notice", "template_card", "taskcard",
    };

    private static readonly HashSet<string> WebhookMsgTypes = new(StringComparer.Ordinal)
    {
        "text", "markdown", "image", "news", "file", "template_card",
    };

    // menu/create (创建菜单): 1-3 buttons of at most 16 bytes, each with 1-5 sub-buttons of at most 40 bytes; a key at
    // most 128 bytes, a url at most 1024. Errcodes as WeCom's global error code list names them.
    private const int MaxMenuButtons = 3;
    private const int MaxSubButtons = 5;
    private const int MaxButtonNameBytes = 16;
    private const int MaxSubButtonNameBytes = 40;
    private const int MaxKeyBytes = 128;
    private const int MaxUrlBytes = 1024;

    private static readonly HashSet<string> MenuButtonTypes = new(StringComparer.Ordinal)
    {
        "click", "view", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin", "location_select", "view_miniprogram",
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FakeWeComOptions _options;
    private readonly WebApplication _app;
    private readonly HashSet<string>? _knownUsers;
    private readonly HashSet<string> _removedUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string>? _webhookKeys;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokenExpiry = new(StringComparer.Ordinal);
    private readonly List<FakeWeComMessage> _messages = [];
    private readonly PerMinuteLimits _memberDeliveries = new();
    private readonly PerMinuteLimits _webhookPosts = new();
    private readonly List<PendingFault> _faults = [];
    private readonly List<FakeWeComMenu> _menus = [];
    private readonly HashSet<string> _taskIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResponseCodeState> _responseCodes = new(StringComparer.Ordinal);
    private readonly List<FakeWeComCardUpdate> _cardUpdates = [];
    private readonly Dictionary<string, SentForDuplicateCheck> _duplicateChecked = new(StringComparer.Ordinal);
    private int _duplicatesDropped;
    private string? _currentToken;
    private int _getTokenRequests;
    private int _messageSendRequests;
    private int _webhookSendRequests;

    private FakeWeComServer(FakeWeComOptions options, WebApplication app)
    {
        _options = options;
        _app = app;
        _knownUsers = options.KnownUsers is null ? null : new HashSet<string>(options.KnownUsers, StringComparer.OrdinalIgnoreCase);
        _webhookKeys = options.WebhookKeys is null ? null : new HashSet<string>(options.WebhookKeys, StringComparer.Ordinal);
    }

    /// <summary>Raised for every accepted message, on the request's thread; the local chat prints these.</summary>
    public event EventHandler<FakeWeComMessage>? MessageAccepted;

    /// <summary>The root to use as <c>WeCom:ApiBaseUrl</c>, e.g. <c>http://127.0.0.1:5081/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public FakeWeComOptions Options => _options;

    /// <summary>Every accepted message so far, in order of acceptance.</summary>
    public IReadOnlyList<FakeWeComMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Every menu <c>menu/create</c> accepted, in order; the app shows the last.</summary>
    public IReadOnlyList<FakeWeComMenu> Menus
    {
        get
        {
            lock (_gate)
            {
                return [.. _menus];
            }
        }
    }

    /// <summary>Every accepted <c>message/update_template_card</c>, in order.</summary>
    public IReadOnlyList<FakeWeComCardUpdate> CardUpdates
    {
        get
        {
            lock (_gate)
            {
                return [.. _cardUpdates];
            }
        }
    }

    /// <summary>
    /// The response code WeCom puts in a <c>template_card_event</c> when a user clicks the card <paramref name="taskId"/>:
    /// tests put it in the callback they post. Like every code, it works once within 72 hours.
    /// </summary>
    public string IssueClickResponseCode(string taskId)
    {
        lock (_gate)
        {
            var code = "click-" + NewToken()[..24];
            _responseCodes[code] = new ResponseCodeState(taskId, Now);
            return code;
        }
    }

    /// <summary>How many <c>gettoken</c> requests arrived (answered or not).</summary>
    public int GetTokenRequests => Volatile.Read(ref _getTokenRequests);

    /// <summary>How many <c>message/send</c> requests were answered as duplicates and delivered nothing (enable_duplicate_check).</summary>
    public int DuplicatesDropped => Volatile.Read(ref _duplicatesDropped);

    /// <summary>How many <c>message/send</c> requests arrived (answered or not).</summary>
    public int MessageSendRequests => Volatile.Read(ref _messageSendRequests);

    /// <summary>How many <c>webhook/send</c> requests arrived (answered or not).</summary>
    public int WebhookSendRequests => Volatile.Read(ref _webhookSendRequests);

    /// <summary>Starts the fake on 127.0.0.1 (port from <see cref="FakeWeComOptions.Port"/>, 0 = any free port).</summary>
    public static async Task<FakeWeComServer> StartAsync(FakeWeComOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeWeComOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeWeComServer).Assembly.GetName().Name,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var server = new FakeWeComServer(options, app);
        app.MapGet("/cgi-bin/gettoken", (RequestDelegate)server.GetTokenAsync);
        app.MapPost("/cgi-bin/message/send", (RequestDelegate)server.MessageSendAsync);
        app.MapPost("/cgi-bin/webhook/send", (RequestDelegate)server.WebhookSendAsync);
        app.MapPost("/cgi-bin/menu/create", (RequestDelegate)server.MenuCreateAsync);
        app.MapPost("/cgi-bin/message/update_template_card", (RequestDelegate)server.UpdateTemplateCardAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Makes every issued token unknown, as when WeCom invalidates tokens early; the next send gets 40014.</summary>
    public void RevokeAllTokens()
    {
        lock (_gate)
        {
            _tokenExpiry.Clear();
            _currentToken = null;
        }
    }

    /// <summary>
    /// Makes <paramref name="userIds"/> unknown from now on, as when members leave the company's WeCom: the next
    /// <c>message/send</c> names them in <c>invaliduser</c> (81013 when no recipient is left).
    /// </summary>
    public void RemoveUsers(params string[] userIds)
    {
        lock (_gate)
        {
            _removedUsers.UnionWith(userIds);
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests to <paramref name="endpoint"/> (any endpoint when null) get
    /// <paramref name="fault"/>, after <paramref name="afterCalls"/> requests answered as usual.
    /// </summary>
    public void InjectFault(FakeWeComFault fault, int count = 1, FakeWeComEndpoint? endpoint = null, int afterCalls = 0)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(afterCalls);
        lock (_gate)
        {
            _faults.Add(new PendingFault(endpoint, fault, count) { Skip = afterCalls });
        }
    }

    /// <summary>Drops pending faults.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Forgets recorded messages (not the rate-limit windows).</summary>
    public void ClearMessages()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private async Task GetTokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _getTokenRequests);
        if (await ApplyFaultAsync(context, FakeWeComEndpoint.GetToken))
        {
            return;
        }

        var corpId = context.Request.Query["corpid"].ToString();
        var secret = context.Request.Query["corpsecret"].ToString();
        if (corpId.Length == 0)
        {
            await WriteErrorAsync(context, 41002, "corpid missing");
            return;
        }

        if (secret.Length == 0)
        {
            await WriteErrorAsync(context, 41004, "corpsecret missing");
            return;
        }

        if (!string.Equals(corpId, _options.CorpId, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 40013, "invalid corpid");
            return;
        }

        if (!string.Equals(secret, _options.Secret, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 40001, "invalid credential");
            return;
        }

        string token;
        lock (_gate)
        {
            // "有效期内重复获取返回相同结果，过期后获取会返回新的access_token" (wecom.md §6.1). That the repeat fetch also
            // restarts the lifetime is how the fake reads "the same result"; the reference does not settle it.
            var now = Now;
            if (_currentToken is null || _tokenExpiry[_currentToken] <= now)
            {
                _currentToken = NewToken();
            }

            token = _currentToken;
            _tokenExpiry[token] = now + _options.TokenLifetime;
        }

        await WriteAsync(context, 0, "ok", writer =>
        {
            writer.WriteString("access_token", token);
            writer.WriteNumber("expires_in", (long)_options.TokenLifetime.TotalSeconds);
        });
    }

    private async Task MessageSendAsync(HttpContext context)
    {
        Interlocked.Increment(ref _messageSendRequests);
        if (await ApplyFaultAsync(context, FakeWeComEndpoint.MessageSend) || !await CheckTokenAsync(context))
        {
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        if (!root.TryGetProperty("agentid", out var agent) || !TryReadInt(agent, out var agentId) || agentId != _options.AgentId)
        {
            await WriteErrorAsync(context, 40056, "invalid agentid");
            return;
        }

        var msgType = GetString(root, "msgtype");
        if (msgType is null || !AppMsgTypes.Contains(msgType))
        {
            await WriteErrorAsync(context, 40008, "invalid message type");
            return;
        }

        var toUser = GetString(root, "touser") ?? string.Empty;
        var toParty = GetString(root, "toparty") ?? string.Empty;
        var toTag = GetString(root, "totag") ?? string.Empty;
        var users = toUser.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (users.Length == 0 && toParty.Length == 0 && toTag.Length == 0)
        {
            await WriteErrorAsync(context, 82001, "All touser & toparty & totag invalid");
            return;
        }

        if (users.Length > MaxUsersPerCall)
        {
            // The reference gives the limit ("最多支持1000个") but not the errcode; 40031 is WeCom's "不合法的UserID列表".
            await WriteErrorAsync(context, 40031, "invalid userid list, touser exceeds 1000");
            return;
        }

        var (content, contentError) = ReadContent(root, msgType, MaxAppContentBytes);
        if (contentError is { } error)
        {
            await WriteErrorAsync(context, error.ErrCode, error.ErrMsg);
            return;
        }

        var (duplicateCheck, duplicateError) = ReadDuplicateCheck(root);
        if (duplicateError is not null)
        {
            await WriteErrorAsync(context, InvalidParameter, duplicateError);
            return;
        }

        if (duplicateCheck is { } check)
        {
            SentForDuplicateCheck? first = null;
            lock (_gate)
            {
                if (_duplicateChecked.TryGetValue(check.Json, out var earlier) && Now - earlier.At < check.Interval)
                {
                    first = earlier;
                    _duplicatesDropped++;
                }
            }

            if (first is not null)
            {
                await WriteAsync(context, 0, "ok", writer =>
                {
                    writer.WriteString("invaliduser", first.InvalidUser);
                    writer.WriteString("msgid", first.MsgId);
                });
                return;
            }
        }

        FakeWeComCard? card = null;
        if (msgType == "template_card")
        {
            var (parsed, rendered, cardError) = ReadCard(root.GetProperty("template_card"));
            if (cardError is not null)
            {
                await WriteErrorAsync(context, InvalidParameter, cardError);
                return;
            }

            lock (_gate)
            {
                // "同一个应用任务id不能重复" (wecom.md §8.1): the id is taken by the first send, accepted or not delivered.
                if (!_taskIds.Add(parsed!.TaskId))
                {
                    parsed = null;
                }
                else if (parsed.ResponseCode is { } code)
                {
                    _responseCodes[code] = new ResponseCodeState(parsed.TaskId, Now);
                }
            }

            if (parsed is null)
            {
                await WriteErrorAsync(context, InvalidParameter, "invalid task_id, task_id duplicated");
                return;
            }

            card = parsed;
            content = rendered!;
        }

        var invalidUsers = new List<string>();
        var delivered = new List<string>();
        var dropped = new List<string>();
        var msgId = NewToken()[..32];
        FakeWeComMessage? message = null;
        lock (_gate)
        {
            var now = Now;
            var recipients = users.Length == 1 && users[0] == "@all"
                ? _knownUsers?.Select(u => u.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList() ?? ["@all"]
                : users.Select(u => u.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            foreach (var user in recipients)
            {
                if (user != "@all" && ((_knownUsers is not null && !_knownUsers.Contains(user)) || _removedUsers.Contains(user)))
                {
                    invalidUsers.Add(user);
                }
                else if (_memberDeliveries.TryCount(user, now, _options.MemberMessagesPerMinute))
                {
                    delivered.Add(user);
                }
                else
                {
                    // "每应用对同一个成员不可超过30次/分钟，超过部分会被丢弃不下发" (wecom.md §6.6): no error is reported.
                    dropped.Add(user);
                }
            }

            if (delivered.Count > 0 || dropped.Count > 0)
            {
                message = new FakeWeComMessage(FakeWeComEndpoint.MessageSend, delivered, dropped, msgType, content, now, null, msgId, card);
                _messages.Add(message);
            }
        }

        // The fake has no departments or tags: every given one is reported invalid.
        var invalidUser = string.Join('|', invalidUsers);
        if (message is null && toParty.Length == 0 && toTag.Length == 0)
        {
            await WriteAsync(context, 81013, "user & party & tag all invalid", writer => writer.WriteString("invaliduser", invalidUser));
            return;
        }

        if (message is not null)
        {
            MessageAccepted?.Invoke(this, message);
        }

        if (duplicateCheck is { } sent)
        {
            lock (_gate)
            {
                _duplicateChecked[sent.Json] = new SentForDuplicateCheck(Now, invalidUser, msgId);
            }
        }

        await WriteAsync(context, 0, "ok", writer =>
        {
            writer.WriteString("invaliduser", invalidUser);
            writer.WriteString("invalidparty", toParty);
            writer.WriteString("invalidtag", toTag);
            writer.WriteString("unlicenseduser", string.Empty);
            writer.WriteString("msgid", msgId);
            if (card?.ResponseCode is { } responseCode)
            {
                writer.WriteString("response_code", responseCode);
            }
        });
    }

    /// <summary>
    /// <c>enable_duplicate_check</c> and <c>duplicate_check_interval</c> of a <c>message/send</c> body: null when the check
    /// is off, else the request JSON (what "同样内容" compares) and the interval; or why they are refused.
    /// </summary>
    private static ((string Json, TimeSpan Interval)? Check, string? Error) ReadDuplicateCheck(JsonElement root)
    {
        if (!root.TryGetProperty("enable_duplicate_check", out var enable) || !TryReadInt(enable, out var enabled) || enabled != 1)
        {
            return (null, null);
        }

        var interval = DefaultDuplicateCheckInterval;
        if (root.TryGetProperty("duplicate_check_interval", out var given))
        {
            if (!TryReadInt(given, out var seconds) || seconds <= 0 || TimeSpan.FromSeconds(seconds) > MaxDuplicateCheckInterval)
            {
                return (null, "invalid duplicate_check_interval, at most 4 hours (14400 s)");
            }

            interval = TimeSpan.FromSeconds(seconds);
        }

        return ((JsonNode.Parse(root.GetRawText())!.ToJsonString(), interval), null);
    }

    /// <summary>
    /// <c>message/update_template_card</c> (wecom.md §8.3): token, agentid, a known response_code not used before and
    /// not older than 72 hours, recipients (<c>userids</c> ≤1000 or <c>atall</c>), and a <c>button.replace_name</c> or a
    /// whole <c>template_card</c>.
    /// </summary>
    private async Task UpdateTemplateCardAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, FakeWeComEndpoint.UpdateTemplateCard) || !await CheckTokenAsync(context))
        {
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        if (!root.TryGetProperty("agentid", out var agent) || !TryReadInt(agent, out var agentId) || agentId != _options.AgentId)
        {
            await WriteErrorAsync(context, 40056, "invalid agentid");
            return;
        }

        var code = GetString(root, "response_code");
        if (string.IsNullOrEmpty(code))
        {
            await WriteErrorAsync(context, InvalidParameter, "invalid response_code, response_code missing");
            return;
        }

        var userIds = root.TryGetProperty("userids", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString() ?? string.Empty).Where(u => u.Length > 0).ToList()
            : [];
        var atAll = root.TryGetProperty("atall", out var all) && TryReadInt(all, out var a) && a == 1;
        if (userIds.Count == 0 && !atAll)
        {
            await WriteErrorAsync(context, 82001, "All touser & toparty & totag invalid");
            return;
        }

        if (userIds.Count > MaxUsersPerCall)
        {
            await WriteErrorAsync(context, 40031, "invalid userid list, userids exceeds 1000");
            return;
        }

        string? replaceName = null;
        if (root.TryGetProperty("button", out var button) && button.ValueKind == JsonValueKind.Object)
        {
            replaceName = GetString(button, "replace_name");
            if (string.IsNullOrEmpty(replaceName))
            {
                await WriteErrorAsync(context, InvalidParameter, "invalid button, replace_name missing");
                return;
            }
        }
        else if (!root.TryGetProperty("template_card", out var whole) || whole.ValueKind != JsonValueKind.Object)
        {
            await WriteErrorAsync(context, InvalidParameter, "button or template_card missing");
            return;
        }

        FakeWeComCardUpdate? update = null;
        string? refusal = null;
        lock (_gate)
        {
            if (!_responseCodes.TryGetValue(code, out var state))
            {
                refusal = "invalid response_code";
            }
            else if (state.Used)
            {
                // "一个code只能调用一次该接口" (wecom.md §8.3).
                refusal = "invalid response_code, response_code already used";
            }
            else if (Now - state.IssuedAt > ResponseCodeLifetime)
            {
                refusal = "invalid response_code, response_code expired";
            }
            else
            {
                state.Used = true;
                update = new FakeWeComCardUpdate([.. userIds.Select(u => u.ToLowerInvariant())], atAll, code, state.TaskId, replaceName, Now);
                _cardUpdates.Add(update);
            }
        }

        if (update is null)
        {
            await WriteErrorAsync(context, InvalidParameter, refusal!);
            return;
        }

        var invalid = _knownUsers is null ? [] : userIds.Where(u => !_knownUsers.Contains(u)).Select(u => u.ToLowerInvariant()).ToList();
        await WriteAsync(context, 0, "ok", writer =>
        {
            writer.WriteStartArray("invaliduser");
            foreach (var user in invalid)
            {
                writer.WriteStringValue(user);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Checks a template card against the documented rules; returns it with a readable rendering, or the broken rule.</summary>
    private static (FakeWeComCard? Card, string? Rendered, string? Error) ReadCard(JsonElement card)
    {
        var cardType = GetString(card, "card_type");
        if (cardType is null || !CardTypes.Contains(cardType))
        {
            return (null, null, "invalid card_type");
        }

        var interactive = cardType is "button_interaction" or "vote_interaction" or "multiple_interaction";
        var taskId = GetString(card, "task_id");
        if (taskId is null && interactive)
        {
            return (null, null, "invalid task_id, task_id missing");
        }

        if (taskId is not null && (taskId.Length == 0 || Encoding.UTF8.GetByteCount(taskId) > MaxTaskIdBytes
            || !taskId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@')))
        {
            return (null, null, "invalid task_id, only digits, letters and _-@, at most 128 bytes");
        }

        var rendered = new StringBuilder();
        var source = card.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.Object ? GetString(s, "desc") : null;
        var title = card.TryGetProperty("main_title", out var main) && main.ValueKind == JsonValueKind.Object ? GetString(main, "title") : null;
        var subTitle = GetString(card, "sub_title_text");
        if (string.IsNullOrEmpty(title) && string.IsNullOrEmpty(subTitle))
        {
            return (null, null, "main_title.title or sub_title_text required");
        }

        rendered.Append(source is null ? string.Empty : $"【{source}】").Append(title).Append('\n');
        if (main.ValueKind == JsonValueKind.Object && GetString(main, "desc") is { } desc)
        {
            rendered.Append(desc).Append('\n');
        }

        if (card.TryGetProperty("horizontal_content_list", out var fields) && fields.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in fields.EnumerateArray())
            {
                rendered.Append(CultureInfo.InvariantCulture, $"{GetString(field, "keyname")}：{GetString(field, "value")}\n");
            }
        }

        if (subTitle is not null)
        {
            rendered.Append(subTitle).Append('\n');
        }

        var buttons = new List<FakeWeComButton>();
        if (cardType == "button_interaction")
        {
            if (!card.TryGetProperty("button_list", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                return (null, null, "button_list missing");
            }

            if (list.GetArrayLength() > MaxCardButtons)
            {
                return (null, null, "button_list exceeds 6");
            }

            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in list.EnumerateArray())
            {
                var text = GetString(item, "text");
                var key = GetString(item, "key");
                var type = item.TryGetProperty("type", out var t) && TryReadInt(t, out var ty) ? ty : 0;
                var style = item.TryGetProperty("style", out var st) && TryReadInt(st, out var sty) ? sty : 1;
                if (string.IsNullOrEmpty(text))
                {
                    return (null, null, "button text missing");
                }

                if (type == 0 && (string.IsNullOrEmpty(key) || Encoding.UTF8.GetByteCount(key) > MaxButtonKeyBytes || !keys.Add(key)))
                {
                    return (null, null, "invalid button key: required for a callback button, at most 1024 bytes, unique");
                }

                if (style is < 1 or > 4)
                {
                    return (null, null, "invalid button style");
                }

                buttons.Add(new FakeWeComButton(text, key));
                rendered.Append(CultureInfo.InvariantCulture, $"[{text}]");
            }
        }

        var code = interactive ? "send-" + NewToken()[..24] : null;
        return (new FakeWeComCard(cardType, taskId ?? string.Empty, code, buttons), rendered.ToString().TrimEnd('\n'), null);
    }

    private async Task WebhookSendAsync(HttpContext context)
    {
        Interlocked.Increment(ref _webhookSendRequests);
        if (await ApplyFaultAsync(context, FakeWeComEndpoint.WebhookSend))
        {
            return;
        }

        var key = context.Request.Query["key"].ToString();
        if (key.Length == 0 || (_webhookKeys is not null && !_webhookKeys.Contains(key)))
        {
            await WriteErrorAsync(context, 93000, "invalid webhook url");
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        var msgType = GetString(root, "msgtype");
        if (msgType is null || !WebhookMsgTypes.Contains(msgType))
        {
            await WriteErrorAsync(context, 40008, "invalid message type");
            return;
        }

        var (content, contentError) = ReadContent(root, msgType, msgType == "markdown" ? MaxWebhookMarkdownBytes : MaxWebhookTextBytes);
        if (contentError is { } error)
        {
            await WriteErrorAsync(context, error.ErrCode, error.ErrMsg);
            return;
        }

        var mentioned = root.TryGetProperty(msgType, out var inner) && inner.ValueKind == JsonValueKind.Object
            && inner.TryGetProperty("mentioned_list", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];
        FakeWeComMessage? message = null;
        lock (_gate)
        {
            var now = Now;
            // "每个机器人发送的消息不能超过20条/分钟" (wecom.md §6.5); unlike app messages the excess is refused.
            if (_webhookPosts.TryCount(key, now, _options.WebhookMessagesPerMinute))
            {
                message = new FakeWeComMessage(FakeWeComEndpoint.WebhookSend, mentioned, [], msgType, content, now, key, null);
                _messages.Add(message);
            }
        }

        if (message is null)
        {
            await WriteErrorAsync(context, 45009, "api freq out of limit");
            return;
        }

        MessageAccepted?.Invoke(this, message);
        await WriteAsync(context, 0, "ok", null);
    }

    private async Task MenuCreateAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, FakeWeComEndpoint.MenuCreate) || !await CheckTokenAsync(context))
        {
            return;
        }

        if (!int.TryParse(context.Request.Query["agentid"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var agentId) || agentId != _options.AgentId)
        {
            await WriteErrorAsync(context, 40056, "invalid agentid");
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(context.RequestAborted);
        JsonDocument body;
        try
        {
            body = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, 47001, "data format error");
            return;
        }

        using (body)
        {
            if (CheckMenu(body.RootElement) is { } error)
            {
                await WriteErrorAsync(context, error.ErrCode, error.ErrMsg);
                return;
            }
        }

        lock (_gate)
        {
            _menus.Add(new FakeWeComMenu(agentId, json, Now));
        }

        await WriteAsync(context, 0, "ok", null);
    }

    /// <summary>The first rule of menu/create the menu breaks, as WeCom's errcode, or null.</summary>
    private static (int ErrCode, string ErrMsg)? CheckMenu(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("button", out var buttons) || buttons.ValueKind != JsonValueKind.Array
            || buttons.GetArrayLength() is < 1 or > MaxMenuButtons)
        {
            return (40016, "invalid button size");
        }

        foreach (var button in buttons.EnumerateArray())
        {
            if (button.ValueKind != JsonValueKind.Object || !FitsBytes(GetString(button, "name"), MaxButtonNameBytes))
            {
                return (40018, "invalid button name size");
            }

            if (button.TryGetProperty("sub_button", out var subs) && subs.ValueKind == JsonValueKind.Array)
            {
                if (subs.GetArrayLength() is < 1 or > MaxSubButtons)
                {
                    return (40023, "invalid sub button size");
                }

                foreach (var sub in subs.EnumerateArray())
                {
                    if (sub.ValueKind != JsonValueKind.Object || GetString(sub, "type") is not { } subType || !MenuButtonTypes.Contains(subType))
                    {
                        return (40024, "invalid sub button type");
                    }

                    if (!FitsBytes(GetString(sub, "name"), MaxSubButtonNameBytes))
                    {
                        return (40025, "invalid sub button name size");
                    }

                    if (CheckAction(sub, subType, 40026, "invalid sub button key size", 40027, "invalid sub button url size") is { } subError)
                    {
                        return subError;
                    }
                }

                continue;
            }

            if (GetString(button, "type") is not { } type || !MenuButtonTypes.Contains(type))
            {
                return (40017, "invalid button type");
            }

            if (CheckAction(button, type, 40019, "invalid button key size", 40020, "invalid button url size") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>A view button needs a url; every other type a key.</summary>
    private static (int ErrCode, string ErrMsg)? CheckAction(JsonElement button, string type, int keyErrCode, string keyErrMsg, int urlErrCode, string urlErrMsg) =>
        type is "view"
            ? FitsBytes(GetString(button, "url"), MaxUrlBytes) ? null : (urlErrCode, urlErrMsg)
            : type is "view_miniprogram" || FitsBytes(GetString(button, "key"), MaxKeyBytes) ? null : (keyErrCode, keyErrMsg);

    private static bool FitsBytes(string? value, int maxBytes) => !string.IsNullOrEmpty(value) && Encoding.UTF8.GetByteCount(value) <= maxBytes;

    /// <summary>41001 without a token, 40014 for an unknown (or revoked) one, 42001 for an expired one.</summary>
    private async Task<bool> CheckTokenAsync(HttpContext context)
    {
        var token = context.Request.Query["access_token"].ToString();
        if (token.Length == 0)
        {
            await WriteErrorAsync(context, 41001, "access_token missing");
            return false;
        }

        DateTimeOffset expiry;
        bool known;
        lock (_gate)
        {
            known = _tokenExpiry.TryGetValue(token, out expiry);
        }

        if (!known)
        {
            await WriteErrorAsync(context, 40014, "invalid access_token");
            return false;
        }

        if (expiry <= Now)
        {
            await WriteErrorAsync(context, 42001, "access_token expired");
            return false;
        }

        return true;
    }

    /// <summary>The content of a text/markdown message, checked for 44004 (empty) and 45002 (too long); other types as JSON.</summary>
    private static (string Content, (int ErrCode, string ErrMsg)? Error) ReadContent(JsonElement root, string msgType, int maxBytes)
    {
        if (!root.TryGetProperty(msgType, out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return (string.Empty, msgType is "text" or "markdown" ? (44004, "empty content") : (40008, "invalid message type"));
        }

        if (msgType is not ("text" or "markdown"))
        {
            return (payload.GetRawText(), null);
        }

        var content = GetString(payload, "content") ?? string.Empty;
        if (content.Length == 0)
        {
            return (content, (44004, "empty content"));
        }

        // The reference says text over 2048 bytes "超过将截断" but lists 45002 for content too large; the fake refuses,
        // which is the stricter of the two and catches a client that does not split.
        return Encoding.UTF8.GetByteCount(content) > maxBytes ? (content, (45002, "content size out of limit")) : (content, null);
    }

    private async Task<bool> ApplyFaultAsync(HttpContext context, FakeWeComEndpoint endpoint)
    {
        FakeWeComFault? fault = null;
        lock (_gate)
        {
            var pending = _faults.Find(f => f.Endpoint is null || f.Endpoint == endpoint);
            if (pending is { Skip: > 0 })
            {
                pending.Skip--;
            }
            else if (pending is not null)
            {
                fault = pending.Fault;
                if (--pending.Remaining == 0)
                {
                    _faults.Remove(pending);
                }
            }
        }

        if (fault is null)
        {
            return false;
        }

        if (fault.CloseConnection)
        {
            context.Abort();
            return true;
        }

        if (fault.CloseConnectionAfterWork)
        {
            context.Items[AnswerLostKey] = true;
            return false;
        }

        if (fault.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (fault.ErrCode is { } errCode)
        {
            await WriteErrorAsync(context, errCode, errCode == -1 ? "system busy" : "injected fault");
            return true;
        }

        return false;
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, 47001, "data format error");
            return null;
        }
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryReadInt(JsonElement element, out int value)
    {
        // WeCom's own samples send agentid as a number; strings of digits are tolerated as many clients send them.
        if (element.ValueKind == JsonValueKind.Number)
        {
            return element.TryGetInt32(out value);
        }

        value = 0;
        return element.ValueKind == JsonValueKind.String && int.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static Task WriteErrorAsync(HttpContext context, int errCode, string message) =>
        WriteAsync(context, errCode, $"{message}, hint: [fake-wecom], more info at https://open.work.weixin.qq.com/devtool/query?e={errCode}", null);

    /// <summary>WeCom answers every outcome with HTTP 200 and <c>{"errcode":..,"errmsg":..,...}</c>.</summary>
    private static async Task WriteAsync(HttpContext context, int errCode, string errMsg, Action<Utf8JsonWriter>? fields)
    {
        if (context.Items.ContainsKey(AnswerLostKey))
        {
            // The work is done; the answer never reaches the client.
            context.Abort();
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("errcode", errCode);
            writer.WriteString("errmsg", errMsg);
            fields?.Invoke(writer);
            writer.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    private sealed class ResponseCodeState(string taskId, DateTimeOffset issuedAt)
    {
        public string TaskId { get; } = taskId;

        public DateTimeOffset IssuedAt { get; } = issuedAt;

        public bool Used { get; set; }
    }

    /// <summary>A duplicate-checked message as first accepted, and what was answered.</summary>
    private sealed record SentForDuplicateCheck(DateTimeOffset At, string InvalidUser, string MsgId);

    private sealed class PendingFault(FakeWeComEndpoint? endpoint, FakeWeComFault fault, int remaining)
    {
        public FakeWeComEndpoint? Endpoint { get; } = endpoint;

        public FakeWeComFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;

        /// <summary>Requests still answered as usual before the fault applies.</summary>
        public int Skip { get; set; }
    }
}
