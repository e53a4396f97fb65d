using Linping.CppccBot.Conversations;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

public static partial class WeComChannelRegistration
{
    /// <summary>The WeCom channel: callback handler, active API client, and a start-up line saying whether it is on.</summary>
    public static IHostApplicationBuilder AddWeComChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddWeComApi();
        builder.Services.AddSingleton<WeComCallbackHandler>();
        builder.Services.AddHostedService<WeComStatusReporter>();
        return builder;
    }

    private sealed partial class WeComStatusReporter(IOptions<WeComOptions> options, ILogger<WeComStatusReporter> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var wecom = options.Value;
            if (!wecom.IsEnabled)
            {
                LogOff(logger);
            }
            else if (!wecom.CanSend)
            {
                LogPassiveOnly(logger, wecom.CorpId!);
            }
            else
            {
                LogOn(logger, wecom.CorpId!, wecom.AgentId!.Value, wecom.ApiBaseUrl.Host);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "WeCom channel is off: WeCom:CorpId, WeCom:Token and WeCom:EncodingAESKey are not set")]
        private static partial void LogOff(ILogger logger);

        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "WeCom channel is on for corp {CorpId} at /wecom/callback, but answers can only be passive: WeCom:Secret or WeCom:AgentId is not set")]
        private static partial void LogPassiveOnly(ILogger logger, string corpId);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "WeCom channel is on for corp {CorpId}, agent {AgentId}, at /wecom/callback; API at {ApiHost}")]
        private static partial void LogOn(ILogger logger, string corpId, int agentId, string apiHost);
    }
}
