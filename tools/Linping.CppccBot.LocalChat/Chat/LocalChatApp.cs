using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Linping.CppccBot.LocalChat.FakeWeCom;

namespace Linping.CppccBot.LocalChat.Chat;

/// <summary>How the chat talks to its terminal.</summary>
/// <param name="Interactive">A person types: show a prompt. Otherwise (piped input) echo each line read.</param>
/// <param name="Color">ANSI colours (dim notes) are allowed.</param>
public sealed record LocalChatTerminal(bool Interactive, bool Color)
{
    public static LocalChatTerminal Plain { get; } = new(Interactive: false, Color: false);
}

/// <summary>The local chat: starts the fake WeCom API, then reads lines and plays them as WeCom callbacks.</summary>
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
    private const string Commands = "/enter (open the app), /click KEY (menu click, e.g. /click MEETINGS), /image, /user ID, /quit";
    private static readonly TimeSpan QuietAfterLastSend = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private string _user = options.User;
    private bool _atPrompt;
    private int _awaitingActiveSends;
    private long _lastSendTicks;

    public async Task<int> RunAsync(TextReader input, CancellationToken cancellationToken)
    {
        FakeWeComServer? fake = null;
        if (options.FakeApiPort != 0)
        {
            try
            {
                fake = await FakeWeComServer.StartAsync(
                    new FakeWeComOptions { Port = options.FakeApiPort, CorpId = options.App.CorpId, AgentId = options.App.AgentId },
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
            await LoopAsync(input, simulator, cancellationToken);
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

    private async Task LoopAsync(TextReader input, WeComCallbackSimulator simulator, CancellationToken cancellationToken)
    {
        while (true)
        {
            string user;
            lock (_gate)
            {
                user = _user;
                if (terminal.Interactive)
                {
                    output.Write(Prompt(user));
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
                await output.WriteLineAsync(Prompt(user) + line);
            }

            var (command, argument) = SplitCommand(line);
            switch (command)
            {
                case "/quit" or "/exit":
                    return;
                case "/enter":
                    await SendAsync(() => simulator.SendEventAsync(user, "enter_agent", string.Empty, cancellationToken));
                    break;
                case "/click" when argument.Length > 0:
                    await SendAsync(() => simulator.SendEventAsync(user, "click", argument, cancellationToken));
                    break;
                case "/click":
                    await NoteAsync("usage: /click KEY (keys in bot-manifests/wecom/menu.json, e.g. MEETINGS, MY_PROPOSALS, HELP)");
                    break;
                case "/image":
                    await SendAsync(() => simulator.SendImageAsync(user, cancellationToken));
                    break;
                case "/user" when argument.Length > 0 && !argument.Any(char.IsWhiteSpace):
                    lock (_gate)
                    {
                        _user = argument;
                    }

                    await NoteAsync($"now chatting as {argument}");
                    break;
                case "/user":
                    await NoteAsync("usage: /user ID (a WeCom user id, e.g. chenxiaoyan; an id not on the roster plays a stranger)");
                    break;
                case null:
                    await SendAsync(() => simulator.SendTextAsync(user, line, cancellationToken));
                    break;
                default:
                    await NoteAsync($"unknown command {command}; commands: {Commands}");
                    break;
            }
        }
    }

    private async Task SendAsync(Func<Task<CallbackOutcome>> send)
    {
        CallbackOutcome outcome;
        try
        {
            outcome = await send();
        }
        catch (HttpRequestException ex)
        {
            await output.WriteLineAsync($"Cannot reach the bot at {options.Host} ({Describe(ex)}). {StartBotHint}");
            return;
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            await output.WriteLineAsync($"The bot did not answer within {RequestTimeout.TotalSeconds:0} s (WeCom itself gives up after 5 s and retries).");
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

            if (_atPrompt)
            {
                output.WriteLine();
            }

            output.WriteLine(prefix + message.Content);
            if (_atPrompt)
            {
                output.Write(Prompt(_user));
            }

            output.Flush();
            if (Volatile.Read(ref _awaitingActiveSends) > 0)
            {
                Interlocked.Decrement(ref _awaitingActiveSends);
            }

            Interlocked.Exchange(ref _lastSendTicks, Environment.TickCount64);
        }
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

    private static string Prompt(string user) => user + "> ";

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
