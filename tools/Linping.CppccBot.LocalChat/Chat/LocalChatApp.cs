using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.LocalChat.FakeWeCom;

namespace Linping.CppccBot.LocalChat.Chat;

/// <summary>How the chat talks to its terminal.</summary>
/// <param name="Interactive">A person types: show a prompt. Otherwise (piped input) echo each line read.</param>
/// <param name="Color">ANSI colours (dim notes) are allowed.</param>
public sealed record LocalChatTerminal(bool Interactive, bool Color)
{
    public static LocalChatTerminal Plain { get; } = new(Interactive: false, Color: false);
}

/// <summary>
/// The local chat: starts the fake WeCom API (or the fake DingTalk), then reads lines and plays them as WeCom callbacks
/// (or DingTalk robot callbacks).
/// </summary>
public static class LocalChatApp
{
    /// <summary>How long the chat waits at the end of piped input for active sends still on their way.</summary>
    public static readonly TimeSpan PendingSendWait = TimeSpan.FromSeconds(5);

    /// <summary>Runs the chat with plain (piped) input and output; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(args, input, output, LocalChatTerminal.Plain, cancellationToken);

    /// <summary>Runs the chat; returns the exit code (0 done, 1 could not start, 2 bad arguments).</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, LocalChatTerminal terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(terminal);

        // The fake prints active sends from Kestrel's threads while the loop prints replies.
        var writer = TextWriter.Synchronized(output);
        var options = LocalChatOptions.Parse(args, out var error);
        if (options is null)
        {
            if (error is not null)
            {
                await writer.WriteLineAsync(error);
            }

            await writer.WriteLineAsync(LocalChatOptions.Usage);
            return error is null ? 0 : 2;
        }

        var session = new LocalChatSession(options, writer, terminal);
        try
        {
            return await session.RunAsync(input, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }
}

/// <summary>One run of the chat: the REPL, the fake's printout and the wait for late answers.</summary>
internal sealed class LocalChatSession(LocalChatOptions options, TextWriter output, LocalChatTerminal terminal)
{
    private const string StartBotHint = "Start the bot first: dotnet run --project src/Linping.CppccBot";
    private const string WeComCommands = "/enter (open the app), /click KEY (menu click, e.g. /click MEETINGS), /image, /user ID, /quit";
    private const string DingTalkCommands = "/group [ID] (chat in a group, @-mentioning the bot), /private, /image, /user ID, /quit";

    /// <summary>The group <c>/group</c> without an id chats in (a made-up <c>openConversationId</c>).</summary>
    private const string DefaultGroup = "cidLocalChatGroup=";

    private static readonly TimeSpan QuietAfterLastSend = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long the DingTalk chat waits for the replies to a message before taking the next line.</summary>
    private static readonly TimeSpan DingTalkReplyWait = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private string _user = options.User;
    private string? _group;
    private bool _atPrompt;
    private int _awaitingActiveSends;
    private long _lastSendTicks;
    private int _received;

    private bool IsDingTalk => options.Channel == ChatChannel.DingTalk;

    private string Commands => IsDingTalk ? DingTalkCommands : WeComCommands;

    public Task<int> RunAsync(TextReader input, CancellationToken cancellationToken) =>
        IsDingTalk ? RunDingTalkAsync(input, cancellationToken) : RunWeComAsync(input, cancellationToken);

    private async Task<int> RunWeComAsync(TextReader input, CancellationToken cancellationToken)
    {
        FakeWeComServer? fake = null;
        if (options.FakeApiPort != 0)
        {
            try
            {
                fake = await FakeWeComServer.StartAsync(
                    new FakeWeComOptions { Port = options.FakeApiPort, CorpId = options.App.CorpId, AgentId = options.App.AgentId, WebhookKeys = null },
                    cancellationToken);
            }
            catch (IOException ex)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Cannot start the fake WeCom API on 127.0.0.1:{options.FakeApiPort}: {ex.Message}"));
                await output.WriteLineAsync("Is another local chat running? Pass --fake-api-port 0 to chat without it (late answers are then not shown).");
                return 1;
            }

            fake.MessageAccepted += (_, message) => ShowActiveSend(message);
        }

        try
        {
            using var http = new HttpClient { Timeout = RequestTimeout };
            var simulator = new WeComCallbackSimulator(http, options.Host, options.App);
            await WriteBannerAsync(simulator, fake);
            await CheckHostAsync(http);
            await LoopAsync(input, (command, argument, line, user) => HandleWeComAsync(simulator, command, argument, line, user, cancellationToken), cancellationToken);
            await WaitForPendingSendsAsync(cancellationToken);
            return 0;
        }
        finally
        {
            if (fake is not null)
            {
                await fake.DisposeAsync();
            }
        }
    }

    private async Task<int> RunDingTalkAsync(TextReader input, CancellationToken cancellationToken)
    {
        FakeDingTalkServer fake;
        try
        {
            fake = await FakeDingTalkServer.StartAsync(
                new FakeDingTalkOptions { Port = options.FakeApiPort, ClientId = options.DingTalkApp.ClientId, ClientSecret = options.DingTalkApp.ClientSecret, CustomRobots = null },
                cancellationToken);
        }
        catch (IOException ex)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Cannot start the fake DingTalk on 127.0.0.1:{options.FakeApiPort}: {ex.Message}"));
            await output.WriteLineAsync("Is another local chat running? Pass --fake-api-port with a free port, and point the bot's DingTalk:ApiBaseUrl and DingTalk:OapiBaseUrl at it.");
            return 1;
        }

        try
        {
            fake.MessageAccepted += (_, message) => ShowDingTalkMessage(message);
            using var http = new HttpClient { Timeout = RequestTimeout };
            var simulator = new DingTalkCallbackSimulator(http, options.Host, options.DingTalkApp, fake);
            await WriteDingTalkBannerAsync(simulator, fake);
            await CheckHostAsync(http);
            await LoopAsync(input, (command, argument, line, user) => HandleDingTalkAsync(simulator, command, argument, line, user, cancellationToken), cancellationToken);
            return 0;
        }
        finally
        {
            await fake.DisposeAsync();
        }
    }

    /// <summary>
    /// Reads lines until <c>/quit</c> or the end of input. <c>/user</c> and <c>/quit</c> work alike in both apps; the rest
    /// goes to <paramref name="handle"/> (command or null for text, its argument, the line, the user), which answers false
    /// for a command it does not know.
    /// </summary>
    private async Task LoopAsync(TextReader input, Func<string?, string, string, string, Task<bool>> handle, CancellationToken cancellationToken)
    {
        while (true)
        {
            string user;
            string? group;
            lock (_gate)
            {
                (user, group) = (_user, _group);
                if (terminal.Interactive)
                {
                    output.Write(Prompt(user, group));
                    _atPrompt = true;
                }
            }

            var line = await input.ReadLineAsync(cancellationToken);
            lock (_gate)
            {
                _atPrompt = false;
            }

            if (line is null)
            {
                if (terminal.Interactive)
                {
                    await output.WriteLineAsync();
                }

                return;
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!terminal.Interactive)
            {
                // Piped input is not echoed by a terminal: show it so the transcript reads as a conversation.
                await output.WriteLineAsync(Prompt(user, group) + line);
            }

            var (command, argument) = SplitCommand(line);
            switch (command)
            {
                case "/quit" or "/exit":
                    return;
                case "/user" when argument.Length > 0 && !argument.Any(char.IsWhiteSpace):
                    lock (_gate)
                    {
                        _user = argument;
                    }

                    await NoteAsync($"now chatting as {argument}");
                    break;
                case "/user":
                    await NoteAsync(IsDingTalk
                        ? "usage: /user ID (a DingTalk user id, e.g. dt-chenxiaoyan; an id not on the roster plays a stranger)"
                        : "usage: /user ID (a WeCom user id, e.g. chenxiaoyan; an id not on the roster plays a stranger)");
                    break;
                default:
                    if (!await handle(command, argument, line, user))
                    {
                        await NoteAsync($"unknown command {command}; commands: {Commands}");
                    }

                    break;
            }
        }
    }

    private async Task<bool> HandleWeComAsync(WeComCallbackSimulator simulator, string? command, string argument, string line, string user, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case "/enter":
                await SendAsync(() => simulator.SendEventAsync(user, "enter_agent", string.Empty, cancellationToken));
                return true;
            case "/click" when argument.Length > 0:
                await SendAsync(() => simulator.SendEventAsync(user, "click", argument, cancellationToken));
                return true;
            case "/click":
                await NoteAsync("usage: /click KEY (keys in bot-manifests/wecom/menu.json, e.g. MEETINGS, MY_PROPOSALS, HELP)");
                return true;
            case "/image":
                await SendAsync(() => simulator.SendImageAsync(user, cancellationToken));
                return true;
            case null:
                await SendAsync(() => simulator.SendTextAsync(user, line, cancellationToken));
                return true;
            default:
                return false;
        }
    }

    private async Task<bool> HandleDingTalkAsync(DingTalkCallbackSimulator simulator, string? command, string argument, string line, string user, CancellationToken cancellationToken)
    {
        string? group;
        lock (_gate)
        {
            group = _group;
        }

        switch (command)
        {
            case "/group" when !argument.Any(char.IsWhiteSpace):
                group = argument.Length > 0 ? argument : DefaultGroup;
                lock (_gate)
                {
                    _group = group;
                }

                await NoteAsync($"now chatting in group {group}: each message @-mentions the bot, as a member must there (/private to leave)");
                return true;
            case "/group":
                await NoteAsync("usage: /group [ID] (a group's openConversationId, e.g. cidMembers=; without one a made-up group)");
                return true;
            case "/private":
                lock (_gate)
                {
                    _group = null;
                }

                await NoteAsync("now chatting in the private chat with the bot");
                return true;
            case "/enter" or "/click":
                await NoteAsync("/enter and /click are WeCom app events; DingTalk's robot has neither (try 帮助)");
                return true;
            case "/image":
                await SendDingTalkAsync(() => simulator.SendPictureAsync(user, group, cancellationToken), cancellationToken);
                return true;
            case null:
                await SendDingTalkAsync(() => simulator.SendTextAsync(user, line, group, cancellationToken), cancellationToken);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Posts one robot callback, then waits (at most <see cref="DingTalkReplyWait"/>) for the replies it brings.</summary>
    private async Task SendDingTalkAsync(Func<Task<DingTalkCallbackOutcome>> send, CancellationToken cancellationToken)
    {
        var before = Volatile.Read(ref _received);
        if (await PostAsync(send, string.Empty) is not { } outcome)
        {
            return;
        }

        if (!outcome.Accepted)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The bot refused the callback: HTTP {(int)outcome.StatusCode} {outcome.StatusCode}: {outcome.Body}"));
            await NoteAsync(outcome.StatusCode switch
            {
                HttpStatusCode.NotFound => "DingTalk is not on in the bot, or not in HTTP mode: run it with the Development settings (or set DingTalk:Mode to Http).",
                HttpStatusCode.Forbidden => "The sign or the robot did not match: do --client-secret and --client-id match the bot's DingTalk settings?",
                _ => "See the bot's log for the reason.",
            });
            return;
        }

        // The callback answers {"msgtype":"empty"} at once; the replies follow through the session webhook.
        var deadline = Environment.TickCount64 + (long)DingTalkReplyWait.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            var quiet = Environment.TickCount64 - Interlocked.Read(ref _lastSendTicks) >= QuietAfterLastSend.TotalMilliseconds;
            if (Volatile.Read(ref _received) > before && quiet)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        if (Volatile.Read(ref _received) == before)
        {
            await NoteAsync($"(no reply within {DingTalkReplyWait.TotalSeconds:0} s; one that comes later is still shown)");
        }
    }

    /// <summary>One callback to the bot; a bot that cannot be reached or does not answer in time is said, and gives null.</summary>
    private async Task<T?> PostAsync<T>(Func<Task<T>> send, string timeoutNote)
        where T : class
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            await output.WriteLineAsync($"Cannot reach the bot at {options.Host} ({Describe(ex)}). {StartBotHint}");
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            await output.WriteLineAsync($"The bot did not answer within {RequestTimeout.TotalSeconds:0} s{timeoutNote}.");
        }

        return null;
    }

    private async Task SendAsync(Func<Task<CallbackOutcome>> send)
    {
        if (await PostAsync(send, " (WeCom itself gives up after 5 s and retries)") is not { } outcome)
        {
            return;
        }

        switch (outcome.Kind)
        {
            case CallbackOutcomeKind.PassiveReply:
                await output.WriteLineAsync("助手> " + outcome.ReplyText);
                break;
            case CallbackOutcomeKind.Empty:
                if (options.FakeApiPort != 0)
                {
                    Interlocked.Increment(ref _awaitingActiveSends);
                }

                await NoteAsync(options.FakeApiPort != 0
                    ? "(empty reply: an answer, if any, comes as an active send)"
                    : "(empty reply: an answer, if any, goes as an active send, which is not shown with --fake-api-port 0)");
                break;
            case CallbackOutcomeKind.Refused:
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The bot refused the callback: HTTP {(int)outcome.StatusCode} {outcome.StatusCode}: {outcome.Body}"));
                await NoteAsync(outcome.StatusCode switch
                {
                    HttpStatusCode.NotFound => "WeCom is not configured in the bot: run it with the Development settings (or pass matching --corp-id/--token/--aes-key).",
                    HttpStatusCode.Forbidden => "The signature, timestamp or corp id did not match: do --corp-id/--token/--aes-key match the bot's WeCom settings?",
                    _ => "See the bot's log for the reason.",
                });
                break;
            default:
                await output.WriteLineAsync($"The bot's reply could not be verified: {outcome.Body}");
                break;
        }
    }

    private void ShowActiveSend(FakeWeComMessage message)
    {
        lock (_gate)
        {
            string prefix;
            if (message.Endpoint == FakeWeComEndpoint.WebhookSend)
            {
                prefix = $"群机器人 {message.WebhookKey}> ";
            }
            else if (message.Recipients.Count == 1 && string.Equals(message.Recipients[0], _user, StringComparison.OrdinalIgnoreCase))
            {
                prefix = "助手（主动发送）> ";
            }
            else
            {
                prefix = $"助手（主动发送 → {string.Join('|', message.Recipients)}）> ";
            }

            Show(prefix + message.Content);
            if (Volatile.Read(ref _awaitingActiveSends) > 0)
            {
                Interlocked.Decrement(ref _awaitingActiveSends);
            }
        }
    }

    /// <summary>
    /// A message the fake DingTalk took: a reply through a session webhook (<c>助手></c>; in a group it begins with the
    /// @-mention of the asker), a one-to-one robot message, a message into a group, or a custom group robot's post.
    /// </summary>
    private void ShowDingTalkMessage(FakeDingTalkMessage message)
    {
        lock (_gate)
        {
            var prefix = message.Endpoint switch
            {
                FakeDingTalkEndpoint.SessionWebhook => "助手> ",
                FakeDingTalkEndpoint.BatchSend when message.StaffIds.Count == 1 && string.Equals(message.StaffIds[0], _user, StringComparison.Ordinal) => "助手（主动发送）> ",
                FakeDingTalkEndpoint.BatchSend => $"助手（主动发送 → {string.Join('|', message.StaffIds)}）> ",
                FakeDingTalkEndpoint.GroupSend => $"助手（群 {message.ConversationId}）> ",
                _ => $"群机器人 {message.ConversationId}> ",
            };
            Show(prefix + message.Text);
            Interlocked.Increment(ref _received);
        }
    }

    /// <summary>Prints what arrived (under the lock), keeping a prompt on screen intact.</summary>
    private void Show(string line)
    {
        if (_atPrompt)
        {
            output.WriteLine();
        }

        output.WriteLine(line);
        if (_atPrompt)
        {
            output.Write(Prompt(_user, _group));
        }

        output.Flush();
        Interlocked.Exchange(ref _lastSendTicks, Environment.TickCount64);
    }

    /// <summary>
    /// At the end of piped input, waits (at most <see cref="LocalChatApp.PendingSendWait"/>) for answers announced by
    /// an empty reply, and then until the sends have been quiet for a moment, since one answer may come in parts.
    /// </summary>
    private async Task WaitForPendingSendsAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _awaitingActiveSends) == 0)
        {
            return;
        }

        await NoteAsync("(waiting briefly for active sends still on their way)");
        var deadline = Environment.TickCount64 + (long)LocalChatApp.PendingSendWait.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            var quiet = Environment.TickCount64 - Interlocked.Read(ref _lastSendTicks) >= QuietAfterLastSend.TotalMilliseconds;
            if (Volatile.Read(ref _awaitingActiveSends) == 0 && quiet)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task WriteBannerAsync(WeComCallbackSimulator simulator, FakeWeComServer? fake)
    {
        await output.WriteLineAsync("Linping CPPCC bot · local chat (plays WeCom through the encrypted callback)");
        await output.WriteLineAsync($"  chatting as  {options.User}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  bot          {simulator.CallbackAddress}  (corp {options.App.CorpId}, agent {options.App.AgentId})"));
        await output.WriteLineAsync(fake is null
            ? "  fake WeCom   off (--fake-api-port 0): active sends are not shown"
            : $"  fake WeCom   {fake.BaseAddress} prints the bot's active sends (the bot's WeCom:ApiBaseUrl)");
        await output.WriteLineAsync($"  commands     {Commands}");
        await output.WriteLineAsync("  anything else is sent as a text message; try 帮助");
        await output.WriteLineAsync();
    }

    private async Task WriteDingTalkBannerAsync(DingTalkCallbackSimulator simulator, FakeDingTalkServer fake)
    {
        await output.WriteLineAsync("Linping CPPCC bot · local chat (plays DingTalk through the signed robot HTTP callback)");
        await output.WriteLineAsync($"  chatting as   {options.User}");
        await output.WriteLineAsync($"  bot           {simulator.CallbackAddress}  (app {options.DingTalkApp.ClientId}, DingTalk:Mode Http)");
        await output.WriteLineAsync($"  fake DingTalk {fake.BaseAddress} takes the bot's replies (session webhooks, the OpenAPI; the bot's DingTalk:OapiBaseUrl and ApiBaseUrl)");
        await output.WriteLineAsync($"  commands      {Commands}");
        await output.WriteLineAsync("  anything else is sent as a text message; try 帮助");
        await output.WriteLineAsync();
    }

    /// <summary>Says early when nothing listens at the host, so the first message does not fail mysteriously.</summary>
    private async Task CheckHostAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(options.Host, "/health/live"));
        }
        catch (HttpRequestException ex)
        {
            await output.WriteLineAsync($"The bot is not reachable at {options.Host} ({Describe(ex)}). {StartBotHint}");
            await output.WriteLineAsync();
        }
        catch (TaskCanceledException)
        {
            await output.WriteLineAsync($"The bot at {options.Host} did not answer /health/live in time.");
        }
    }

    private Task NoteAsync(string text) =>
        output.WriteLineAsync(terminal.Color ? $"\u001b[2m{text}\u001b[0m" : text);

    private static string Prompt(string user, string? group = null) => group is null ? user + "> " : $"{user}（群 {group}）> ";

    private static (string? Command, string Argument) SplitCommand(string line)
    {
        if (!line.StartsWith('/'))
        {
            return (null, string.Empty);
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? (line.ToLowerInvariant(), string.Empty)
            : (line[..space].ToLowerInvariant(), line[(space + 1)..].Trim());
    }

    private static string Describe(HttpRequestException ex) =>
        ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.Message;
}
