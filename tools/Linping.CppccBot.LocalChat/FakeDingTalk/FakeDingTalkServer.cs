using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Linping.CppccBot.LocalChat.FakeDingTalk;

/// <summary>
/// A fake DingTalk on loopback (a real Kestrel server), answering like DingTalk per /work/shared/reference/dingtalk.md:
/// the OpenAPI (<c>oauth2/accessToken</c>, <c>robot/oToMessages/batchSend</c>, <c>robot/groupMessages/send</c>), session
/// webhooks (<c>/robot/sendBySession</c>), and the Stream gateway (<c>gateway/connections/open</c> with single-use
/// 90-second tickets, and a WebSocket at <c>/connect</c> that pushes robot frames, pings, disconnects, drops, and records
/// ACKs). Use its <see cref="BaseAddress"/> as both <c>DingTalk:ApiBaseUrl</c> and <c>DingTalk:OapiBaseUrl</c>. Thread-safe.
/// </summary>
public sealed class FakeDingTalkServer : IAsyncDisposable
{
    private const int MaxUsersPerCall = 20;
    private const int MaxMsgParamBytes = 15000;
    private static readonly TimeSpan TicketLifetime = TimeSpan.FromSeconds(90);

    private readonly FakeDingTalkOptions _options;
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ConversationId, DateTimeOffset ExpiresAt)> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _tickets = new(StringComparer.Ordinal);
    private readonly List<FakeDingTalkMessage> _messages = [];
    /// <summary>What the next calls of an endpoint get, in order; a null fault lets that call through.</summary>
    private readonly List<(FakeDingTalkEndpoint Endpoint, FakeDingTalkFault? Fault)> _faults = [];
    private readonly HashSet<string> _throttledStaffIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _filteredStaffIds = new(StringComparer.Ordinal);
    private readonly PerMinuteLimits _customRobotPosts = new();
    private readonly Dictionary<string, DateTimeOffset> _customRobotBlockedUntil = new(StringComparer.Ordinal);
    private readonly List<GatewayConnection> _connections = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FakeStreamAck>> _awaitedAcks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeStreamAck> _acks = new();
    private int _tokenRequests;
    private int _frameCounter;

    private FakeDingTalkServer(FakeDingTalkOptions options, WebApplication app)
    {
        _options = options;
        _app = app;
    }

    /// <summary>Raised for every accepted message; the local chat prints these.</summary>
    public event EventHandler<FakeDingTalkMessage>? MessageAccepted;

    public Uri BaseAddress { get; private set; } = null!;

    public FakeDingTalkOptions Options => _options;

    public IReadOnlyList<FakeDingTalkMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Every ACK the gateway received, in order.</summary>
    public IReadOnlyList<FakeStreamAck> Acks => [.. _acks];

    /// <summary>How many WebSocket connections were accepted so far.</summary>
    public int ConnectionsAccepted
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>How many WebSocket connections are open now.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count(c => c.Socket.State == WebSocketState.Open);
            }
        }
    }

    public static async Task<FakeDingTalkServer> StartAsync(FakeDingTalkOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeDingTalkOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeDingTalkServer).Assembly.GetName().Name,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var server = new FakeDingTalkServer(options, app);
        app.UseWebSockets();
        app.MapPost("/v1.0/oauth2/accessToken", (RequestDelegate)server.AccessTokenAsync);
        app.MapPost("/v1.0/robot/oToMessages/batchSend", (RequestDelegate)server.BatchSendAsync);
        app.MapPost("/v1.0/robot/groupMessages/send", (RequestDelegate)server.GroupSendAsync);
        app.MapPost("/robot/sendBySession", (RequestDelegate)server.SessionWebhookAsync);
        app.MapPost("/robot/send", (RequestDelegate)server.CustomRobotAsync);
        app.MapPost("/v1.0/gateway/connections/open", (RequestDelegate)server.ConnectionsOpenAsync);
        app.Map("/connect", (RequestDelegate)server.ConnectAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>A new session webhook URL for <paramref name="conversationId"/>, valid for <see cref="FakeDingTalkOptions.SessionLifetime"/>.</summary>
    public (string Url, DateTimeOffset ExpiresAt) CreateSession(string conversationId)
    {
        var session = Guid.NewGuid().ToString("N");
        var expiresAt = Now + _options.SessionLifetime;
        lock (_gate)
        {
            _sessions[session] = (conversationId, expiresAt);
        }

        return (new Uri(BaseAddress, "robot/sendBySession?session=" + session).ToString(), expiresAt);
    }

    /// <summary>
    /// A robot message JSON as DingTalk sends it, with a fresh session webhook. For a group, <paramref name="text"/> gets the
    /// leading space DingTalk leaves where it removed the robot's @-mention. <paramref name="senderNick"/> is the display
    /// name (the staff id when not given).
    /// </summary>
    public string RobotMessageJson(string? staffId, string text, string? msgId = null, string? groupId = null, string msgType = "text", string? senderNick = null)
    {
        var conversationId = groupId ?? "cid-1to1-" + (staffId ?? "outsider");
        var (url, expiresAt) = CreateSession(conversationId);
        var now = Now;
        var message = new JsonObject
        {
            ["conversationId"] = conversationId,
            ["chatbotCorpId"] = "dingfakecorp",
            ["chatbotUserId"] = "$:LWCP_v1:$fakebot",
            ["msgId"] = msgId ?? "msg" + Guid.NewGuid().ToString("N"),
            ["senderNick"] = senderNick ?? staffId ?? "外部联系人",
            ["isAdmin"] = false,
            ["senderStaffId"] = staffId,
            ["sessionWebhookExpiredTime"] = expiresAt.ToUnixTimeMilliseconds(),
            ["createAt"] = now.ToUnixTimeMilliseconds(),
            ["senderCorpId"] = "dingfakecorp",
            ["conversationType"] = groupId is null ? "1" : "2",
            ["senderId"] = "$:LWCP_v1:$" + Convert.ToBase64String(Encoding.UTF8.GetBytes(staffId ?? "outsider")),
            ["sessionWebhook"] = url,
            ["robotCode"] = _options.RobotCode ?? _options.ClientId,
            ["msgtype"] = msgType,
        };
        if (msgType == "text")
        {
            message["text"] = new JsonObject { ["content"] = groupId is null ? text : " " + text };
        }
        else
        {
            message["content"] = new JsonObject { ["downloadCode"] = "fake-download-code" };
        }

        if (groupId is not null)
        {
            message["conversationTitle"] = "临平区政协委员群";
            message["isInAtList"] = true;
            message["atUsers"] = new JsonArray(new JsonObject { ["dingtalkId"] = "$:LWCP_v1:$fakebot" });
        }

        if (staffId is null)
        {
            message.Remove("senderStaffId");
        }

        return message.ToJsonString();
    }

    /// <summary>
    /// The next <paramref name="count"/> calls of <paramref name="endpoint"/> get <paramref name="fault"/>, after
    /// <paramref name="afterCalls"/> calls answered as usual.
    /// </summary>
    public void InjectFault(FakeDingTalkEndpoint endpoint, FakeDingTalkFault fault, int count = 1, int afterCalls = 0)
    {
        lock (_gate)
        {
            for (var i = 0; i < afterCalls; i++)
            {
                _faults.Add((endpoint, null));
            }

            for (var i = 0; i < count; i++)
            {
                _faults.Add((endpoint, fault));
            }
        }
    }

    /// <summary>batchSend reports these users in <c>flowControlledStaffIdList</c> until <see cref="ClearThrottling"/>.</summary>
    public void ThrottleStaff(params string[] staffIds)
    {
        lock (_gate)
        {
            _throttledStaffIds.UnionWith(staffIds);
        }
    }

    public void ClearThrottling()
    {
        lock (_gate)
        {
            _throttledStaffIds.Clear();
        }
    }

    /// <summary>
    /// batchSend reports these users in <c>filteredStaffIdList</c> and delivers nothing to them, as DingTalk does for a
    /// user it filters out (outside the app's visible range, the robot's messages turned off).
    /// </summary>
    public void FilterStaff(params string[] staffIds)
    {
        lock (_gate)
        {
            _filteredStaffIds.UnionWith(staffIds);
        }
    }

    /// <summary>Makes every issued access token unknown.</summary>
    public void RevokeAllTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages were accepted, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<FakeDingTalkMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var messages = Messages;
            if (messages.Count >= count)
            {
                return messages;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The fake DingTalk received {Messages.Count} messages, not {count}.");
    }

    /// <summary>Waits until at least <paramref name="count"/> WebSocket connections were accepted and one is open.</summary>
    public async Task WaitForConnectionsAsync(int count, TimeSpan? timeout = null, Action? whileWaiting = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (ConnectionsAccepted >= count && OpenConnections > 0)
            {
                return;
            }

            whileWaiting?.Invoke();
            await Task.Delay(20);
        }

        throw new TimeoutException($"The fake gateway accepted {ConnectionsAccepted} connections, not {count}.");
    }

    /// <summary>Pushes a robot message as a CALLBACK frame on the newest open connection and waits for its ACK.</summary>
    public Task<FakeStreamAck> PushRobotMessageAsync(string robotMessageJson, string? messageId = null, string topic = "/v1.0/im/bot/messages/get") =>
        PushAsync("CALLBACK", topic, robotMessageJson, messageId);

    /// <summary>Sends a SYSTEM ping with <paramref name="opaque"/> and waits for the echo.</summary>
    public Task<FakeStreamAck> PingAsync(string opaque) =>
        PushAsync("SYSTEM", "ping", new JsonObject { ["opaque"] = opaque }.ToJsonString(), null);

    /// <summary>Sends a SYSTEM disconnect on the newest open connection, waits for its ACK, and closes that socket 10 s later at the latest.</summary>
    public async Task<FakeStreamAck> DisconnectAsync(TimeSpan? closeAfter = null)
    {
        var connection = Newest();
        var ack = await PushAsync("SYSTEM", "disconnect", """{"reason":"connection is expired"}""", null, connection);
        _ = Task.Run(async () =>
        {
            await Task.Delay(closeAfter ?? TimeSpan.FromSeconds(10));
            connection.Socket.Abort();
        });
        return ack;
    }

    /// <summary>Sends <paramref name="text"/> as it is, as one text frame, on the newest open connection (for malformed frames).</summary>
    public Task SendRawFrameAsync(string text) => Newest().SendAsync(text);

    /// <summary>Breaks the newest open connection without a close handshake, as a network failure would.</summary>
    public void DropConnection() => Newest().Socket.Abort();

    public async ValueTask DisposeAsync()
    {
        GatewayConnection[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            connection.Socket.Abort();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private string RobotCode => _options.RobotCode ?? _options.ClientId;

    private GatewayConnection Newest()
    {
        lock (_gate)
        {
            return _connections.LastOrDefault(c => c.Socket.State == WebSocketState.Open)
                ?? throw new InvalidOperationException("No Stream connection is open.");
        }
    }

    private async Task<FakeStreamAck> PushAsync(string type, string topic, string data, string? messageId, GatewayConnection? connection = null)
    {
        connection ??= Newest();
        messageId ??= $"fake_{Interlocked.Increment(ref _frameCounter)}_{Guid.NewGuid():N}";
        var waiter = new TaskCompletionSource<FakeStreamAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaitedAcks[messageId] = waiter;
        var frame = new JsonObject
        {
            ["specVersion"] = "1.0",
            ["type"] = type,
            ["headers"] = new JsonObject
            {
                ["appId"] = "fake-app",
                ["connectionId"] = connection.Id,
                ["contentType"] = "application/json",
                ["messageId"] = messageId,
                ["time"] = Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["topic"] = topic,
            },
            ["data"] = data,
        };
        await connection.SendAsync(frame.ToJsonString());
        return await waiter.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task AccessTokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (await ApplyFaultAsync(context, FakeDingTalkEndpoint.AccessToken))
        {
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        if (Get(body.RootElement, "appKey") != _options.ClientId || Get(body.RootElement, "appSecret") != _options.ClientSecret)
        {
            await WriteErrorAsync(context, 400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret");
            return;
        }

        var token = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _tokens[token] = Now + _options.TokenLifetime;
        }

        await WriteAsync(context, 200, new JsonObject { ["accessToken"] = token, ["expireIn"] = (long)_options.TokenLifetime.TotalSeconds });
    }

    private async Task BatchSendAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, FakeDingTalkEndpoint.BatchSend) || !await CheckTokenAsync(context))
        {
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null || !await CheckRobotAsync(context, body.RootElement))
        {
            return;
        }

        var users = body.RootElement.TryGetProperty("userIds", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(u => u.GetString() ?? string.Empty).Where(u => u.Length > 0).ToList()
            : [];
        if (users.Count == 0)
        {
            await WriteErrorAsync(context, 400, "invalidParameter.userIds.empty", "userIds 不能为空");
            return;
        }

        if (users.Count > MaxUsersPerCall)
        {
            await WriteErrorAsync(context, 400, "invalidParameter.userIds.overMax", "userIds 超过最大值20");
            return;
        }

        var content = await ReadMsgParamAsync(context, body.RootElement);
        if (content is null)
        {
            return;
        }

        List<string> invalid, filtered, throttled, delivered;
        FakeDingTalkMessage? message = null;
        lock (_gate)
        {
            invalid = [.. users.Where(u => _options.KnownStaffIds is not null && !_options.KnownStaffIds.Contains(u))];
            filtered = [.. users.Except(invalid).Where(_filteredStaffIds.Contains)];
            throttled = [.. users.Except(invalid).Except(filtered).Where(_throttledStaffIds.Contains)];
            delivered = [.. users.Except(invalid).Except(filtered).Except(throttled)];
            if (delivered.Count > 0)
            {
                message = new FakeDingTalkMessage(FakeDingTalkEndpoint.BatchSend, delivered, null, content.Value.MsgType, content.Value.Text, content.Value.Title, Now);
                _messages.Add(message);
            }
        }

        if (message is not null)
        {
            MessageAccepted?.Invoke(this, message);
        }

        await WriteAsync(context, 200, new JsonObject
        {
            ["processQueryKey"] = Guid.NewGuid().ToString("N"),
            ["invalidStaffIdList"] = new JsonArray([.. invalid.Select(u => (JsonNode)u)]),
            ["flowControlledStaffIdList"] = new JsonArray([.. throttled.Select(u => (JsonNode)u)]),
            ["filteredStaffIdList"] = new JsonArray([.. filtered.Select(u => (JsonNode)u)]),
        });
    }

    private async Task GroupSendAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, FakeDingTalkEndpoint.GroupSend) || !await CheckTokenAsync(context))
        {
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null || !await CheckRobotAsync(context, body.RootElement))
        {
            return;
        }

        var group = Get(body.RootElement, "openConversationId");
        if (string.IsNullOrEmpty(group))
        {
            await WriteErrorAsync(context, 400, "invalidParameter.openConversationId.empty", "openConversationId 不能为空");
            return;
        }

        var content = await ReadMsgParamAsync(context, body.RootElement);
        if (content is null)
        {
            return;
        }

        Accept(new FakeDingTalkMessage(FakeDingTalkEndpoint.GroupSend, [], group, content.Value.MsgType, content.Value.Text, content.Value.Title, Now));
        await WriteAsync(context, 200, new JsonObject { ["processQueryKey"] = Guid.NewGuid().ToString("N") });
    }

    private async Task SessionWebhookAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, FakeDingTalkEndpoint.SessionWebhook))
        {
            return;
        }

        var session = context.Request.Query["session"].ToString();
        (string ConversationId, DateTimeOffset ExpiresAt) known;
        bool found;
        lock (_gate)
        {
            found = _sessions.TryGetValue(session, out known);
        }

        if (!found || known.ExpiresAt <= Now)
        {
            await WriteAsync(context, 200, new JsonObject { ["errcode"] = 300001, ["errmsg"] = "session 不存在或已过期" });
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        var msgType = Get(root, "msgtype");
        string? text = null, title = null;
        if (msgType == "text" && root.TryGetProperty("text", out var t))
        {
            text = Get(t, "content");
        }
        else if (msgType == "markdown" && root.TryGetProperty("markdown", out var m))
        {
            text = Get(m, "text");
            title = Get(m, "title");
        }

        if (string.IsNullOrEmpty(text) || msgType is null)
        {
            await WriteAsync(context, 200, new JsonObject { ["errcode"] = 40035, ["errmsg"] = "缺少参数 content" });
            return;
        }

        // DingTalk mentions an id of at.atUserIds only when the text carries "@<userId>" too (dingtalk.md §2.3).
        var at = root.TryGetProperty("at", out var atObject) && atObject.TryGetProperty("atUserIds", out var atIds) && atIds.ValueKind == JsonValueKind.Array
            ? atIds.EnumerateArray().Select(a => a.GetString() ?? string.Empty).Where(a => a.Length > 0 && text.Contains("@" + a, StringComparison.Ordinal)).ToList()
            : [];
        Accept(new FakeDingTalkMessage(FakeDingTalkEndpoint.SessionWebhook, at, known.ConversationId, msgType, text, title, Now));
        await WriteAsync(context, 200, new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });
    }

    /// <summary>
    /// The custom group robot webhook: 300001 for an unknown token; for a signed robot 310000 unless <c>timestamp</c> is
    /// within an hour and <c>sign</c> (URL-decoded by the query parser) matches; 130101 beyond 20 messages a minute, after
    /// which the robot stays blocked for 10 minutes.
    /// </summary>
    private async Task CustomRobotAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, FakeDingTalkEndpoint.CustomRobot))
        {
            return;
        }

        var token = context.Request.Query["access_token"].ToString();
        string? secret = null;
        if (token.Length == 0 || (_options.CustomRobots is not null && !_options.CustomRobots.TryGetValue(token, out secret)))
        {
            await WriteAsync(context, 200, new JsonObject { ["errcode"] = 300001, ["errmsg"] = "token is not exist" });
            return;
        }

        if (secret is not null)
        {
            var timestamp = context.Request.Query["timestamp"].ToString();
            var sign = context.Request.Query["sign"].ToString();
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                || (Now - DateTimeOffset.FromUnixTimeMilliseconds(ms)).Duration() > TimeSpan.FromHours(1))
            {
                await WriteAsync(context, 200, new JsonObject { ["errcode"] = 310000, ["errmsg"] = "invalid timestamp" });
                return;
            }

            var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
            if (!string.Equals(expected, sign, StringComparison.Ordinal))
            {
                await WriteAsync(context, 200, new JsonObject { ["errcode"] = 310000, ["errmsg"] = "sign not match" });
                return;
            }
        }

        using var body = await ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        var msgType = Get(root, "msgtype");
        var text = msgType switch
        {
            "text" when root.TryGetProperty("text", out var t) => Get(t, "content"),
            "markdown" when root.TryGetProperty("markdown", out var m) => Get(m, "text"),
            _ => null,
        };
        var title = msgType == "markdown" && root.TryGetProperty("markdown", out var md) ? Get(md, "title") : null;
        if (string.IsNullOrEmpty(text) || msgType is null)
        {
            await WriteAsync(context, 200, new JsonObject { ["errcode"] = 40035, ["errmsg"] = "缺少参数 content" });
            return;
        }

        bool allowed;
        lock (_gate)
        {
            var now = Now;
            if (_customRobotBlockedUntil.TryGetValue(token, out var until) && until > now)
            {
                allowed = false;
            }
            else
            {
                allowed = _customRobotPosts.TryCount(token, now, 20);
                if (!allowed)
                {
                    _customRobotBlockedUntil[token] = now + TimeSpan.FromMinutes(10);
                }
            }
        }

        if (!allowed)
        {
            await WriteAsync(context, 200, new JsonObject { ["errcode"] = 130101, ["errmsg"] = "send too fast, exceed 20 times per minute" });
            return;
        }

        Accept(new FakeDingTalkMessage(FakeDingTalkEndpoint.CustomRobot, [], token, msgType, text, title, Now));
        await WriteAsync(context, 200, new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });
    }

    private async Task ConnectionsOpenAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, FakeDingTalkEndpoint.ConnectionsOpen))
        {
            return;
        }

        using var body = await ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        if (Get(body.RootElement, "clientId") != _options.ClientId || Get(body.RootElement, "clientSecret") != _options.ClientSecret)
        {
            await WriteErrorAsync(context, 401, "InvalidAuthentication", "clientId 或 clientSecret 不正确");
            return;
        }

        var ticket = Guid.NewGuid().ToString();
        lock (_gate)
        {
            _tickets[ticket] = Now + TicketLifetime;
        }

        var endpoint = new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/connect" }.Uri.ToString();
        await WriteAsync(context, 200, new JsonObject { ["endpoint"] = endpoint, ["ticket"] = ticket });
    }

    private async Task ConnectAsync(HttpContext context)
    {
        var ticket = context.Request.Query["ticket"].ToString();
        bool valid;
        lock (_gate)
        {
            // A ticket opens exactly one connection, within 90 seconds.
            valid = _tickets.Remove(ticket, out var expiresAt) && expiresAt > Now;
        }

        if (!context.WebSockets.IsWebSocketRequest || !valid)
        {
            context.Response.StatusCode = valid ? 400 : 401;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new GatewayConnection(Guid.NewGuid().ToString(), socket);
        lock (_gate)
        {
            _connections.Add(connection);
        }

        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }

                frame.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                RecordAck(Encoding.UTF8.GetString(frame.GetBuffer(), 0, (int)frame.Length));
                frame.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped.
        }
    }

    private void RecordAck(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var messageId = root.TryGetProperty("headers", out var headers) ? Get(headers, "messageId") ?? string.Empty : string.Empty;
            var ack = new FakeStreamAck(
                root.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : 0,
                messageId,
                Get(root, "message") ?? string.Empty,
                Get(root, "data") ?? string.Empty);
            _acks.Enqueue(ack);
            if (_awaitedAcks.TryRemove(messageId, out var waiter))
            {
                waiter.TrySetResult(ack);
            }
        }
        catch (JsonException)
        {
            _acks.Enqueue(new FakeStreamAck(0, string.Empty, "not JSON", text));
        }
    }

    private void Accept(FakeDingTalkMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }

        MessageAccepted?.Invoke(this, message);
    }

    private async Task<bool> CheckTokenAsync(HttpContext context)
    {
        var token = context.Request.Headers["x-acs-dingtalk-access-token"].ToString();
        bool valid;
        lock (_gate)
        {
            valid = token.Length > 0 && _tokens.TryGetValue(token, out var expiresAt) && expiresAt > Now;
        }

        if (!valid)
        {
            await WriteErrorAsync(context, 401, "InvalidAuthentication", "不合法的access_token");
        }

        return valid;
    }

    private async Task<bool> CheckRobotAsync(HttpContext context, JsonElement root)
    {
        var robotCode = Get(root, "robotCode");
        if (string.IsNullOrEmpty(robotCode))
        {
            await WriteErrorAsync(context, 400, "invalidParameter.robotCode.empty", "robotCode 不能为空");
            return false;
        }

        if (robotCode != RobotCode)
        {
            await WriteErrorAsync(context, 400, "invalidParameter.robotCode.auth", "robotCode 与应用不匹配");
            return false;
        }

        return true;
    }

    private static async Task<(string MsgType, string Text, string? Title)?> ReadMsgParamAsync(HttpContext context, JsonElement root)
    {
        var msgKey = Get(root, "msgKey");
        var msgParam = root.TryGetProperty("msgParam", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (msgKey is not ("sampleText" or "sampleMarkdown"))
        {
            await WriteErrorAsync(context, 400, "invalidParameter.msgKey.invalid", "msgKey 不合法");
            return null;
        }

        if (msgParam is null || Encoding.UTF8.GetByteCount(msgParam) > MaxMsgParamBytes)
        {
            await WriteErrorAsync(context, 400, "invalidParameter.msgParam.invalid", "msgParam 必须是 JSON 字符串");
            return null;
        }

        try
        {
            using var param = JsonDocument.Parse(msgParam);
            var text = msgKey == "sampleText" ? Get(param.RootElement, "content") : Get(param.RootElement, "text");
            if (string.IsNullOrEmpty(text))
            {
                await WriteErrorAsync(context, 400, "invalidParameter.msgParam.invalid", "msgParam 缺少内容");
                return null;
            }

            return (msgKey == "sampleText" ? "text" : "markdown", text, msgKey == "sampleMarkdown" ? Get(param.RootElement, "title") : null);
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, 400, "invalidParameter.msgParam.invalid", "msgParam 必须是 JSON 字符串");
            return null;
        }
    }

    private async Task<bool> ApplyFaultAsync(HttpContext context, FakeDingTalkEndpoint endpoint)
    {
        FakeDingTalkFault? fault = null;
        lock (_gate)
        {
            var index = _faults.FindIndex(f => f.Endpoint == endpoint);
            if (index >= 0)
            {
                fault = _faults[index].Fault;
                _faults.RemoveAt(index);
            }
        }

        if (fault is null)
        {
            return false;
        }

        if (fault.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up waiting.
                return true;
            }
        }

        if (endpoint == FakeDingTalkEndpoint.SessionWebhook)
        {
            await WriteAsync(context, 200, new JsonObject { ["errcode"] = int.TryParse(fault.Code, CultureInfo.InvariantCulture, out var e) ? e : 130101, ["errmsg"] = fault.Message });
        }
        else
        {
            await WriteErrorAsync(context, fault.Status, fault.Code, fault.Message);
        }

        return true;
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, 400, "invalidParameter.param.invalid", "请求体不是 JSON");
            return null;
        }
    }

    private static string? Get(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteAsync(context, status, new JsonObject { ["code"] = code, ["message"] = message, ["requestid"] = Guid.NewGuid().ToString("N") });

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private sealed class GatewayConnection(string id, WebSocket socket) : IDisposable
    {
        private readonly SemaphoreSlim _writeGate = new(1, 1);

        public string Id { get; } = id;

        public WebSocket Socket { get; } = socket;

        public async Task SendAsync(string json)
        {
            await _writeGate.WaitAsync();
            try
            {
                await Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _writeGate.Release();
            }
        }

        public void Dispose() => _writeGate.Dispose();
    }
}
