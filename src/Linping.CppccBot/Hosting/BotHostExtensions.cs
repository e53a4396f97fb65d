using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Hosting;

public static class BotHostExtensions
{
    /// <summary>Options, time, the conversation core and the features.</summary>
    public static IHostApplicationBuilder AddBotCore(this IHostApplicationBuilder builder)
    {
        builder.UseAppFolderForMissingFiles();
        builder.CheckHostSettings();
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<BotOptions>().BindSettings(BotOptions.SectionName);
        services.AddOptionsWithValidateOnStart<ConversationOptions>().BindSettings(ConversationOptions.SectionName);
        services.AddOptionsWithValidateOnStart<ProxyOptions>().BindSettings(ProxyOptions.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) => proxies.Value.Apply(forwarded));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DependencyOutages>();
        services.AddSingleton<RepeatedFailures>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context => ChineseProblemTitles.Apply(context.ProblemDetails));
        services.AddHealthChecks();
        services.AddHostedService<AllowedHostsReporter>();

        services.AddSingleton<DialogSet>();
        services.AddSingleton<IntentHandlers>();
        services.AddScoped<TurnHandler>();
        services.AddSingleton<LogPseudonyms>();
        services.AddSingleton<TurnRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<TurnRunner>());
        builder.AddFeatures();
        return builder;
    }

    /// <summary>
    /// Behind the proxies of <c>ForwardedHeaders</c>, the client's address and scheme from their headers; first in the
    /// pipeline, so everything after sees them. Nothing when no proxy is configured.
    /// </summary>
    public static WebApplication UseForwardedHeadersOfKnownProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.IsEnabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary><c>/health/live</c> touches nothing; <c>/health/ready</c> checks the database and Redis.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
