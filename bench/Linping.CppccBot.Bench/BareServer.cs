namespace Linping.CppccBot.Bench;

/// <summary>
/// The ceiling: a bare ASP.NET Core app (the same <see cref="WebApplication.CreateBuilder()"/>, Kestrel defaults and server
/// GC as the host) whose <c>POST /wecom/callback</c> only answers a constant. Runs as its own process:
/// <c>Linping.CppccBot.Bench bare-server --urls http://127.0.0.1:PORT</c>.
/// </summary>
internal static class BareServer
{
    public const string CommandName = "bare-server";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The host logs requests at Warning and up (its appsettings.json); so does the ceiling.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/health/ready", () => "Healthy");
        app.MapPost("/wecom/callback", () => "success");
        await app.RunAsync();
    }
}
