using Linping.CppccBot.Conversations;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

public static class WeComApiRegistration
{
    /// <summary>
    /// Registers the shared <see cref="WeComAccessTokenCache"/> and the typed <see cref="WeComApiClient"/> against
    /// <c>WeCom:ApiBaseUrl</c>, binding <see cref="WeComOptions"/> from section <c>WeCom</c> unless already bound.
    /// </summary>
    public static IServiceCollection AddWeComApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<WeComOptions>)))
        {
            services.AddOptionsWithValidateOnStart<WeComOptions>().BindSettings(WeComOptions.SectionName);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RepeatedFailures>();
        services.TryAddSingleton<WeComAccessTokenCache>();
        services.AddBotMetrics();
        services.AddHttpClient<WeComApiClient>(WeComApiClient.HttpClientName, static (provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<WeComOptions>>().Value;
                var baseUrl = options.ApiBaseUrl;
                // Relative paths resolve under the base only when it ends with '/', e.g. behind a path-prefixed proxy.
                client.BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
                // Sends run off the request path (late answers, reminders); fail fast enough to retry rather than hang.
                client.Timeout = options.ApiTimeout;
            })
            .AddHttpMessageHandler(static provider => new ApiCallMetricsHandler(provider.GetRequiredService<BotMetrics>(), ChannelNames.WeCom))
            // IHttpClientFactory's default loggers write the request URI, which carries ?access_token= and ?key=.
            .RemoveAllLoggers();
        return services;
    }
}
