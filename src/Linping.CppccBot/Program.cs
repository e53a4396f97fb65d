using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Features.Console;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Features.Staff;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddBotCore();
    builder.AddTelemetry();
    builder.AddPersistence();
    builder.AddConversationStorage();
    builder.AddWeComChannel();
    builder.AddDingTalkChannel();
    builder.AddBackgroundJobs();

    var app = builder.Build();
    app.ValidateSettings();
    if (await ImportCommand.TryRunAsync(app, args)) return;
    if (await WeComMenuCommand.TryRunAsync(app, args)) return;
    if (await MigrateCommand.TryRunAsync(app, args)) return;
    await app.InitializeDatabaseAsync();

    app.UseForwardedHeadersOfKnownProxies();
    // The database or Redis away is no bug: 503 (服务暂时不可用，请稍后再试), as /health/ready says, not 500, and no
    // error with a stack trace per request (DependencyOutages reports the outage). Anything else is logged as an error.
    app.UseExceptionHandler(new ExceptionHandlerOptions
    {
        StatusCodeSelector = ex => InfrastructureFailure.Is(ex) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        SuppressDiagnosticsCallback = context => InfrastructureFailure.Is(context.Exception),
    });
    app.UseStatusCodePages();
    app.UseAdminApiKey();
    app.MapHealthEndpoints();
    app.MapWeComCallback();
    app.MapDingTalkCallback();
    app.MapHangfireDashboard();
    app.MapReminderAdmin();
    app.MapStaffExports();
    app.MapStaffConsole();
    app.MapStaffApi();

    app.Run();
}
catch (Exception ex) when (StartupFailure.OwnsTheProcess && StartupFailure.SettingProblems(ex) is { Count: > 0 } problems)
{
    StartupFailure.Report(problems, Console.Error);
}

/// <summary>Declared for <c>WebApplicationFactory&lt;Program&gt;</c> in the tests.</summary>
public partial class Program;
