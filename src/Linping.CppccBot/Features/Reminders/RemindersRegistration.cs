namespace Linping.CppccBot.Features.Reminders;

public static class RemindersRegistration
{
    /// <summary>The reminder plan, the ledger-driven dispatcher and the WeCom channel; Hangfire runs the dispatcher.</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ReminderOptions>().BindConfiguration(ReminderOptions.SectionName).ValidateDataAnnotations();
        services.AddScoped<ReminderPlanner>();
        services.AddScoped<ReminderTexts>();
        services.AddScoped<ReminderDispatcher>();
        services.AddScoped<ProposalNewsTexts>();
        services.AddScoped<ProposalNewsDispatcher>();
        services.AddSingleton<IReminderChannel, WeComReminderChannel>();
        return services;
    }
}
