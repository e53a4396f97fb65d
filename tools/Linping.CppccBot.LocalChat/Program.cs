using System.Text;
using Linping.CppccBot.LocalChat.Chat;

namespace Linping.CppccBot.LocalChat;

/// <summary>
/// The local chat: talk to a running bot as a roster member through the real WeCom callback path (or, with
/// <c>--channel dingtalk</c>, DingTalk's robot callback), without an account. See README "Chat with the running bot locally".
/// </summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        if (OperatingSystem.IsWindows())
        {
            // Chinese in and out of a Windows console needs UTF-8; other systems already use it.
            Console.InputEncoding = Encoding.UTF8;
            Console.OutputEncoding = Encoding.UTF8;
        }

        var terminal = new LocalChatTerminal(
            Interactive: !Console.IsInputRedirected,
            Color: !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

        // Ctrl+C ends the process as usual; the fake WeCom API (or DingTalk) only lives as long as the process.
        return LocalChatApp.RunAsync(args, Console.In, Console.Out, terminal, CancellationToken.None);
    }
}
