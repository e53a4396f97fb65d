using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Linping.CppccBot.Hosting;

public static class TelemetryExtensions
{
    /// <summary>The standard OpenTelemetry variable; when set, metrics are exported over OTLP to it.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The bot's meter (<see cref="BotMetrics"/>) plus ASP.NET Core and .NET runtime metrics, collected by OpenTelemetry and
    /// exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the other <c>OTEL_*</c> variables).
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddBotMetrics();
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("Linping.CppccBot"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BotMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>Registers <see cref="BotMetrics"/> and the meter factory it needs (idempotent).</summary>
    public static IServiceCollection AddBotMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<BotMetrics>();
        return services;
    }
}
