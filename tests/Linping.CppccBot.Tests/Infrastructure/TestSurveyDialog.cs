using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Help;
using Linping.CppccBot.Features.Opinions;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// A two-question dialog of the tests' own, started by "我要提交社情民意", so the conversation core (interrupts,
/// expiry, the error boundary, state across hosts) can be tested apart from the real feature dialogs.
/// "boom" as an answer throws (quoting the title in its message).
/// </summary>
public sealed class TestSurveyDialog : IDialog
{
    public const string DialogName = "test-survey";

    public string Name => DialogName;

    public TimeSpan Timeout => TimeSpan.FromMinutes(30);

    public string Title => "测试报送";

    /// <summary>Registers the dialog in place of the 社情民意 feature (it takes over "我要提交社情民意").</summary>
    public static void Register(IServiceCollection services)
    {
        foreach (var registration in services.Where(d => d.ImplementationType == typeof(OpinionHandler)).ToList())
        {
            services.Remove(registration);
        }

        services.AddScoped<IIntentHandler, Starter>();
        services.AddSingleton<IDialog, TestSurveyDialog>();
    }

    public Task<DialogStatus> BeginAsync(DialogContext dialog, Intent intent, CancellationToken cancellationToken)
    {
        dialog.Reply("请发送标题。");
        return Task.FromResult(DialogStatus.Waiting);
    }

    public Task<DialogStatus> ContinueAsync(DialogContext dialog, CancellationToken cancellationToken)
    {
        if (dialog.Text == "boom")
        {
            // As a real bug's message may, it quotes what the member typed.
            throw new InvalidOperationException("test failure after title " + dialog.Values.GetValueOrDefault("title"));
        }

        if (dialog.Step == 0)
        {
            dialog.Values["title"] = dialog.Text;
            dialog.Step = 1;
            dialog.Reply("请发送内容。");
            return Task.FromResult(DialogStatus.Waiting);
        }

        dialog.Reply($"已记录：{dialog.Values["title"]} / {dialog.Text}");
        return Task.FromResult(DialogStatus.Complete);
    }

    public string Help(DialogContext dialog) => dialog.Step == 0 ? "请发送标题，一句话概括要反映的问题。" : "请发送内容。";

    private sealed class Starter : IIntentHandler
    {
        public IReadOnlyCollection<string> Intents { get; } = [IntentNames.SubmitOpinion];

        public Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken) =>
            turn.BeginDialogAsync(DialogName, intent, cancellationToken);
    }
}
