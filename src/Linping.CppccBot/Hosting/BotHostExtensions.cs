using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Linping.CppccBot.Hosting;

public static class BotHostExtensions
{
    /// <summary>Options, time, the conversation core and the features.</summary>
    public static IHostApplicationBuilder AddBotCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<BotOptions>().BindSettings(BotOptions.SectionName);
        services.AddOptionsWithValidateOnStart<ConversationOptions>().BindSettings(ConversationOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddHealthChecks();

        services.AddSingleton<DialogSet>();
        services.AddSingleton<IntentHandlers>();
        services.AddScoped<TurnHandler>();
        services.AddSingleton<TurnRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<TurnRunner>());
        builder.AddFeatures();
        return builder;
    }

    /// <summary><c>/health/live</c> touches nothing; <c>/health/ready</c> checks the database and Redis.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
