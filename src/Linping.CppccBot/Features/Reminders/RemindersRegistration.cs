using Linping.CppccBot.Hosting;

namespace Linping.CppccBot.Features.Reminders;

public static class RemindersRegistration
{
    /// <summary>The reminder plan, the ledger-driven dispatcher and the WeCom and DingTalk channels; Hangfire runs the dispatcher.</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ReminderOptions>().BindSettings(ReminderOptions.SectionName);
        services.AddScoped<ReminderPlanner>();
        services.AddScoped<ReminderTexts>();
        services.AddScoped<ReminderDispatcher>();
        services.AddScoped<ProposalNewsTexts>();
        services.AddScoped<ProposalNewsDispatcher>();
        // In this order: a member without a preferred app (or not reachable there) is reminded on WeCom first.
        services.AddSingleton<IReminderChannel, WeComReminderChannel>();
        services.AddSingleton<IReminderChannel, DingTalkReminderChannel>();
        return services;
    }
}
