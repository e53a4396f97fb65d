using System.Globalization;
using Linping.CppccBot.LocalChat.FakeWeCom;

namespace Linping.CppccBot.LocalChat;

/// <summary>
/// Local chat tool. For now it only runs the fake WeCom API (what the host's active sends talk to) and prints every
/// send it receives; the chat side that plays WeCom's callbacks against the host comes later.
/// </summary>
internal static class Program
{
    private const int DefaultFakeApiPort = 5081;

    public static async Task<int> Main(string[] args)
    {
        var port = DefaultFakeApiPort;
        var index = Array.IndexOf(args, "--fake-api-port");
        if (index >= 0 && (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port)))
        {
            await Console.Error.WriteLineAsync("usage: LocalChat [--fake-api-port PORT]");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var options = new FakeWeComOptions { Port = port };
        await using var fake = await FakeWeComServer.StartAsync(options, stop.Token);
        fake.MessageAccepted += (_, message) => Console.WriteLine(Describe(message));
        Console.WriteLine($"Fake WeCom API on {fake.BaseAddress} (WeCom:ApiBaseUrl)");
        Console.WriteLine($"  WeCom:CorpId={options.CorpId}  WeCom:AgentId={options.AgentId}  WeCom:Secret={options.Secret}");
        Console.WriteLine($"  webhook keys: {string.Join(", ", options.WebhookKeys)}");
        Console.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C.
        }

        return 0;
    }

    private static string Describe(FakeWeComMessage message)
    {
        var time = message.At.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var target = message.Endpoint == FakeWeComEndpoint.WebhookSend
            ? $"robot {message.WebhookKey}"
            : $"to {string.Join('|', message.Recipients)}";
        var dropped = message.DroppedRecipients.Count > 0 ? $" (dropped by the 30/min limit: {string.Join('|', message.DroppedRecipients)})" : string.Empty;
        return $"[{time}] {message.MsgType} {target}{dropped}:{Environment.NewLine}{message.Content}{Environment.NewLine}";
    }
}
