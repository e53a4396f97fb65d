namespace Linping.CppccBot.Hosting;

/// <summary>
/// Says once at start, in Production, that <c>AllowedHosts</c> is left open (<c>*</c>): the host then answers a request
/// for any host name, also one a DNS rebinding page or a cache in front sends. The default stays open so that the bot
/// runs with no configuration (local runs, tests); a deployment names its public host names (README, Settings).
/// </summary>
internal sealed partial class AllowedHostsReporter(IConfiguration configuration, IHostEnvironment environment, ILogger<AllowedHostsReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var entries = (configuration[HostSettings.AllowedHostsKey] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (environment.IsProduction() && (entries.Length == 0 || entries.Contains("*", StringComparer.Ordinal)))
        {
            LogOpen(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 8200, Level = LogLevel.Warning, Message = "AllowedHosts is '*': requests for any host name are answered; set AllowedHosts to the bot's public host names, e.g. bot.example.gov.cn (README, Settings)")]
    private static partial void LogOpen(ILogger logger);
}
