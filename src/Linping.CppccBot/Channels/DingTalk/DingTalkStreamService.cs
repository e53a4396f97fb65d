using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// DingTalk's Stream mode (<c>DingTalk:Mode=Stream</c>, the default): registers with <c>gateway/connections/open</c> for a
/// fresh single-use ticket, opens a WebSocket to the returned endpoint, ACKs every frame, hands robot messages
/// (<c>/v1.0/im/bot/messages/get</c>) to the <see cref="DingTalkInbox"/>, answers <c>ping</c>, and on <c>disconnect</c>
/// opens the next connection before closing the old one. A dropped or silent connection is replaced after an
/// exponential backoff with jitter (1 s doubling to 60 s). This service is the only owner of reconnects.
/// </summary>
public sealed partial class DingTalkStreamService(
    IOptions<DingTalkOptions> options,
    IHttpClientFactory httpClientFactory,
    DingTalkInbox inbox,
    TimeProvider time,
    RepeatedFailures failures,
    ILogger<DingTalkStreamService> logger) : BackgroundService
{
    public const string RobotTopic = "/v1.0/im/bot/messages/get";
    internal const string OpenPath = "v1.0/gateway/connections/open";

    /// <summary>A connection that delivered nothing (not even DingTalk's pings) this long is treated as dead.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private const int MaxFrameBytes = 1024 * 1024;

    private int _failures;

    private TimeProvider Clock => time;

    private ILogger Logger => logger;

    /// <summary>How many WebSocket connections were opened so far (for the status and tests).</summary>
    public int ConnectionsOpened { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled || settings.Mode != DingTalkMode.Stream)
        {
            return;
        }

        StreamConnection? current = null;
        try
        {
            current = await ConnectWithBackoffAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.WhenAny(current.Completion, current.DisconnectRequested).WaitAsync(stoppingToken);
                if (!current.Completion.IsCompleted)
                {
                    // Make before break: the old connection keeps reading until the new one is up.
                    LogDisconnectRequested(logger);
                    var next = await ConnectWithBackoffAsync(stoppingToken);
                    await current.CloseAsync(CloseTimeout);
                    current.Dispose();
                    current = next;
                    continue;
                }

                var reason = current.Completion.Exception?.InnerException?.GetType().Name ?? "closed";
                if (failures.ShouldLog(logger, StreamApi, $"DingTalk Stream connection dropped ({reason})"))
                {
                    LogDropped(logger, reason);
                }

                current.Dispose();
                current = null;
                _failures++;
                current = await ConnectWithBackoffAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            if (current is not null)
            {
                await current.CloseAsync(CloseTimeout);
                current.Dispose();
            }

            LogStopped(logger);
        }
    }

    private async Task<StreamConnection> ConnectWithBackoffAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            if (_failures > 0)
            {
                // While DingTalk stays away these come every minute or faster: a line a minute with the count.
                var delay = Backoff(_failures);
                if (failures.ShouldLog(logger, StreamApi, "DingTalk Stream reconnecting after a failure"))
                {
                    LogReconnectIn(logger, delay.TotalSeconds, _failures);
                }

                await Task.Delay(delay, time, stoppingToken);
            }

            try
            {
                var connection = await ConnectAsync(stoppingToken);
                return connection;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (ticket, TLS, handshake, timeout), the answer is the same: back off and try again.
                _failures++;
                var status = (ex as DingTalkApiException)?.HttpStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer";
                if (failures.ShouldLog(logger, StreamApi, $"DingTalk Stream connection failed ({ex.GetType().Name}, HTTP {status})"))
                {
                    LogConnectFailed(logger, ex.GetType().Name, status);
                }
            }
        }
    }

    /// <summary><c>min(1 s · 2^(n-1), 60 s)</c> plus up to 1 s of jitter, so many hosts do not reconnect in step.</summary>
    /// <summary>How <see cref="RepeatedFailures"/> names the Stream connection's failures.</summary>
    private const string StreamApi = "DingTalk Stream";

    internal static TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 6);
        var baseDelay = TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << exponent, MaxDelay.Ticks));
        return baseDelay + TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, 1000));
    }

    private async Task<StreamConnection> ConnectAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var body = new JsonObject
        {
            ["clientId"] = settings.ClientId,
            ["clientSecret"] = settings.ClientSecret,
            ["subscriptions"] = new JsonArray(new JsonObject { ["type"] = "CALLBACK", ["topic"] = RobotTopic }),
            ["ua"] = "linping-cppccbot-dotnet/1.0",
        };
        using var http = httpClientFactory.CreateClient(DingTalkApiClient.HttpClientName);
        http.Timeout = TimeSpan.FromSeconds(10);
        using var answer = await DingTalkHttp.PostAsync(http, new Uri(OpenPath, UriKind.Relative), body, "/" + OpenPath, null, logger, failures, stoppingToken);
        var endpoint = DingTalkHttp.GetString(answer.RootElement, "endpoint");
        var ticket = DingTalkHttp.GetString(answer.RootElement, "ticket");
        if (string.IsNullOrEmpty(endpoint) || string.IsNullOrEmpty(ticket) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri)
            || (endpointUri.Scheme != "wss" && endpointUri.Scheme != "ws"))
        {
            throw new DingTalkApiException("connections/open answered without a WebSocket endpoint and ticket.", "/" + OpenPath, 200, "InvalidResponse");
        }

        var socketUri = new Uri(endpoint + (endpoint.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "ticket=" + Uri.EscapeDataString(ticket));
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(socketUri, connectTimeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        ConnectionsOpened++;
        LogConnected(logger, endpointUri.Host, ConnectionsOpened);
        failures.Answered(logger, DingTalkHttp.Api("/" + OpenPath));
        failures.Answered(logger, StreamApi);
        var connection = new StreamConnection(socket, this, stoppingToken);
        connection.Start();
        return connection;
    }

    /// <summary>
    /// Handles one frame; returns the ACK to send (null for none) and whether DingTalk asked to disconnect. A frame that
    /// cannot be read for sure (not JSON, too deep, a key twice in one object, <c>type</c>, <c>headers</c>,
    /// <c>topic</c> or <c>messageId</c> of another JSON type than the protocol's) is ignored without an ACK: which
    /// message it meant, and to ACK, cannot be told. A robot message that cannot be read is ACKed and not acted on.
    /// </summary>
    private (JsonObject? Ack, bool Disconnect) HandleFrame(string frameText)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frameText, DingTalkRobotMessage.StrictJson);
        }
        catch (JsonException)
        {
            LogBadFrame(logger, "not JSON, too deep, or a key twice");
            return (null, false);
        }

        using (document)
        {
            var frame = document.RootElement;
            if (frame.ValueKind != JsonValueKind.Object)
            {
                LogBadFrame(logger, "not a JSON object");
                return (null, false);
            }

            if (!TryText(frame, "type", out var type) || type is null)
            {
                LogBadFrame(logger, "no type, or not a string");
                return (null, false);
            }

            string? topic = null, messageId = null;
            if (frame.TryGetProperty("headers", out var headers)
                && (headers.ValueKind != JsonValueKind.Object || !TryText(headers, "topic", out topic) || !TryText(headers, "messageId", out messageId)))
            {
                LogBadFrame(logger, "headers, topic or messageId not of the protocol's type");
                return (null, false);
            }

            // data is JSON sent as a string; anything else is no robot message (and no ping payload to echo).
            var data = frame.TryGetProperty("data", out var dataElement) && dataElement.ValueKind == JsonValueKind.String ? dataElement.GetString() : null;
            switch (type)
            {
                case "SYSTEM" when topic == "ping":
                    return (Ack(messageId, 200, "OK", data ?? string.Empty), false);
                case "SYSTEM" when topic == "disconnect":
                    return (messageId is null ? null : Ack(messageId, 200, "OK", string.Empty), true);
                case "SYSTEM":
                    return (messageId is null ? null : Ack(messageId, 200, "OK", string.Empty), false);
                case "CALLBACK" when topic == RobotTopic:
                    return (AcceptRobotMessage(messageId, data), false);
                case "CALLBACK":
                    LogUnknownTopic(logger, topic ?? "-");
                    return (Ack(messageId, 404, "topic not supported", """{"response":null}"""), false);
                case "EVENT":
                    return (Ack(messageId, 200, "OK", """{"status":"SUCCESS","message":"success"}"""), false);
                default:
                    LogBadFrame(logger, "unknown type");
                    return (null, false);
            }
        }
    }

    private JsonObject AcceptRobotMessage(string? messageId, string? data)
    {
        DingTalkRobotMessage message;
        try
        {
            message = DingTalkRobotMessage.Parse(data ?? throw new FormatException("The robot message is not a JSON string."));
        }
        catch (FormatException)
        {
            // Acknowledged anyway: redelivering a message that cannot be read would not help.
            LogBadFrame(logger, "not a robot message");
            return Ack(messageId, 200, "OK", """{"response":null}""");
        }

        if (message.RobotCode is { Length: > 0 } robot && !string.Equals(robot, options.Value.EffectiveRobotCode, StringComparison.Ordinal))
        {
            // For another robot of the app, as the HTTP callback refuses it: this robot does not answer it.
            LogBadFrame(logger, "a message for another robot");
            return Ack(messageId, 200, "OK", """{"response":null}""");
        }

        // The turn runs after the ACK (and claims the msgId once: a redelivery gets no second answer).
        inbox.Accept(message);
        return Ack(messageId, 200, "OK", """{"response":null}""");
    }

    /// <summary>A frame field that is a string, or absent (null); false when it is there as another JSON type.</summary>
    private static bool TryText(JsonElement element, string name, out string? text)
    {
        text = null;
        if (!element.TryGetProperty(name, out var value))
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        text = value.GetString();
        return true;
    }

    private static JsonObject Ack(string? messageId, int code, string message, string data) => new()
    {
        ["code"] = code,
        ["headers"] = new JsonObject { ["contentType"] = "application/json", ["messageId"] = messageId ?? string.Empty },
        ["message"] = message,
        ["data"] = data,
    };

    /// <summary>One WebSocket: a receive loop, serialized writes, and an idle watchdog on the host's clock.</summary>
    private sealed class StreamConnection : IDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly DingTalkStreamService _owner;
        private readonly CancellationTokenSource _cancel;
        private readonly SemaphoreSlim _writeGate = new(1, 1);
        private readonly TaskCompletionSource _disconnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _watchdog;
        private long _lastFrameTicks;

        public StreamConnection(ClientWebSocket socket, DingTalkStreamService owner, CancellationToken stoppingToken)
        {
            _socket = socket;
            _owner = owner;
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        }

        public Task Completion { get; private set; } = Task.CompletedTask;

        public Task DisconnectRequested => _disconnect.Task;

        public void Start()
        {
            Interlocked.Exchange(ref _lastFrameTicks, _owner.Clock.GetUtcNow().UtcTicks);
            var period = TimeSpan.FromSeconds(10);
            _watchdog = _owner.Clock.CreateTimer(_ => CheckIdle(), null, period, period);
            Completion = Task.Run(ReceiveLoopAsync);
        }

        public async Task CloseAsync(TimeSpan timeout)
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    using var closing = new CancellationTokenSource(timeout);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closing.Token);
                }

                await Completion.WaitAsync(timeout);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
            {
                // The old connection goes away either way.
            }
            finally
            {
                await _cancel.CancelAsync();
            }
        }

        public void Dispose()
        {
            _watchdog?.Dispose();
            _cancel.Cancel();
            _socket.Abort();
            _socket.Dispose();
            _cancel.Dispose();
            _writeGate.Dispose();
        }

        private void CheckIdle()
        {
            var idle = _owner.Clock.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastFrameTicks), TimeSpan.Zero);
            if (idle > IdleTimeout)
            {
                LogIdle(_owner.Logger, (int)idle.TotalSeconds);
                _socket.Abort();
            }
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            var oversized = false;
            var token = _cancel.Token;
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer, token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Interlocked.Exchange(ref _lastFrameTicks, _owner.Clock.GetUtcNow().UtcTicks);
                if (!oversized)
                {
                    message.Write(buffer, 0, result.Count);
                    if (message.Length > MaxFrameBytes)
                    {
                        // The rest of this frame is read and dropped, not kept: the connection and the frames after it stay.
                        oversized = true;
                        message.SetLength(0);
                    }
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (oversized)
                {
                    oversized = false;
                    LogBadFrame(_owner.Logger, "larger than 1 MB");
                    continue;
                }

                var isText = result.MessageType == WebSocketMessageType.Text;
                var text = System.Text.Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (!isText)
                {
                    continue;
                }

                JsonObject? ack;
                bool disconnect;
                try
                {
                    (ack, disconnect) = _owner.HandleFrame(text);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Whatever one frame holds, it does not end the connection that the next frames arrive on.
                    LogFrameFailed(_owner.Logger, ex.GetType().Name);
                    continue;
                }

                if (ack is not null)
                {
                    await SendAsync(ack.ToJsonString(), token);
                }

                if (disconnect)
                {
                    _owner._failures = 0;
                    _disconnect.TrySetResult();
                }
                else
                {
                    // A connection that delivers frames is healthy: the next failure starts the backoff afresh.
                    _owner._failures = 0;
                }
            }
        }

        private async Task SendAsync(string json, CancellationToken cancellationToken)
        {
            await _writeGate.WaitAsync(cancellationToken);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, timeout.Token);
            }
            finally
            {
                _writeGate.Release();
            }
        }
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "DingTalk Stream connected to {Host} (connection {Count})")]
    private static partial void LogConnected(ILogger logger, string host, int count);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "DingTalk Stream connection failed ({Failure}, HTTP {Status})")]
    private static partial void LogConnectFailed(ILogger logger, string failure, string status);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "DingTalk Stream reconnects in {DelaySeconds:0.0} s (failure {Failures})")]
    private static partial void LogReconnectIn(ILogger logger, double delaySeconds, int failures);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "DingTalk asked the Stream connection to disconnect; opening the next one first")]
    private static partial void LogDisconnectRequested(ILogger logger);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "DingTalk Stream connection dropped ({Reason})")]
    private static partial void LogDropped(ILogger logger, string reason);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning, Message = "DingTalk Stream connection silent for {Seconds} s; replacing it")]
    private static partial void LogIdle(ILogger logger, int seconds);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Warning, Message = "DingTalk Stream frame ignored: {Reason}")]
    private static partial void LogBadFrame(ILogger logger, string reason);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Warning, Message = "DingTalk Stream callback on unsupported topic {Topic}; answered 404")]
    private static partial void LogUnknownTopic(ILogger logger, string topic);

    [LoggerMessage(EventId = 5208, Level = LogLevel.Warning, Message = "DingTalk Stream frame failed ({Failure}); ignored, the connection stays")]
    private static partial void LogFrameFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 5209, Level = LogLevel.Information, Message = "DingTalk Stream stopped")]
    private static partial void LogStopped(ILogger logger);
}
