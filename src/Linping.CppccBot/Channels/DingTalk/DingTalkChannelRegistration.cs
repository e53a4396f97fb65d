using Linping.CppccBot.Conversations;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

public static partial class DingTalkChannelRegistration
{
    /// <summary>
    /// The DingTalk channel: options (section <c>DingTalk</c>, validated at start), the OpenAPI client and token cache,
    /// the inbox and replier shared by both receiving modes, the Stream connection (when <c>Mode</c> is <c>Stream</c>),
    /// and a start-up line saying whether and how the channel is on.
    /// </summary>
    public static IHostApplicationBuilder AddDingTalkChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDingTalkApi();
        builder.Services.AddSingleton<DingTalkReplier>();
        builder.Services.AddSingleton<DingTalkInbox>();
        builder.Services.AddHostedService<DingTalkStatusReporter>();
        builder.Services.AddHostedService<DingTalkStreamService>();
        return builder;
    }

    /// <summary>The options, the shared token cache, the typed <see cref="DingTalkApiClient"/> and <see cref="IDingTalkMessenger"/>.</summary>
    public static IServiceCollection AddDingTalkApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<DingTalkOptions>)))
        {
            services.AddOptionsWithValidateOnStart<DingTalkOptions>().BindSettings(DingTalkOptions.SectionName);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RepeatedFailures>();
        services.TryAddSingleton<DingTalkAccessTokenCache>();
        services.TryAddSingleton<DingTalkCustomRobotLimiter>();
        services.AddBotMetrics();
        services.AddHttpClient<DingTalkApiClient>(DingTalkApiClient.HttpClientName, static (provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<DingTalkOptions>>().Value;
                client.BaseAddress = options.ApiBaseUrl.AbsoluteUri.EndsWith('/') ? options.ApiBaseUrl : new Uri(options.ApiBaseUrl.AbsoluteUri + "/");
                client.Timeout = options.ApiTimeout;
            })
            .AddHttpMessageHandler(static provider => new ApiCallMetricsHandler(provider.GetRequiredService<BotMetrics>(), ChannelNames.DingTalk))
            // The default loggers write request URIs; a session webhook URL is a credential.
            .RemoveAllLoggers();
        services.TryAddTransient<IDingTalkMessenger>(sp => sp.GetRequiredService<DingTalkApiClient>());
        return services;
    }

    private sealed partial class DingTalkStatusReporter(IOptions<DingTalkOptions> options, ILogger<DingTalkStatusReporter> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var dingTalk = options.Value;
            if (!dingTalk.IsEnabled)
            {
                LogOff(logger);
            }
            else if (dingTalk.Mode == DingTalkMode.Http)
            {
                LogOnHttp(logger, dingTalk.ClientId!, dingTalk.ApiBaseUrl.Host);
            }
            else
            {
                LogOnStream(logger, dingTalk.ClientId!, dingTalk.ApiBaseUrl.Host);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "DingTalk channel is off: DingTalk:ClientId and DingTalk:ClientSecret are not set")]
        private static partial void LogOff(ILogger logger);

        [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "DingTalk channel is on for app {ClientId} in HTTP mode at /dingtalk/callback; API at {ApiHost}")]
        private static partial void LogOnHttp(ILogger logger, string clientId, string apiHost);

        [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "DingTalk channel is on for app {ClientId} in Stream mode; gateway and API at {ApiHost}")]
        private static partial void LogOnStream(ILogger logger, string clientId, string apiHost);
    }
}
