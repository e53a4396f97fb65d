using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Roster;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Linping.CppccBot.Tests.LocalChat;

/// <summary>
/// The real host on a real loopback port, as <c>dotnet run</c> starts it: environment Development (so the WeCom
/// settings are those of appsettings.Development.json, the ones the local chat uses), the system clock, its own SQLite
/// file with the demo data, <c>WeCom:ApiBaseUrl</c> at a free port where a test may start the fake WeCom API, and the
/// DingTalk API roots at another, where the DingTalk chat starts its fake DingTalk.
/// Users whose id starts with <see cref="SlowUserPrefix"/> get their answer after the passive-reply budget, so it
/// goes out as an active send.
/// </summary>
public sealed class LocalChatHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SlowUserPrefix = "slow-";

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"cppccbot-localchat-{Guid.NewGuid():N}.db");

    public LocalChatHost()
    {
        FakeApiPort = FreeLoopbackPort();
        FakeDingTalkPort = FreeLoopbackPort();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The port the host's active sends go to (nothing listens there until a test starts the fake).</summary>
    public int FakeApiPort { get; }

    /// <summary>The port of the host's DingTalk API roots (the fake DingTalk of a DingTalk chat listens there).</summary>
    public int FakeDingTalkPort { get; }

    /// <summary>The host's root, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First());
        return ValueTask.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Database", $"Data Source={_databasePath}");
        builder.UseSetting("ConnectionStrings:Redis", string.Empty);
        builder.UseSetting("Seed:Path", Path.Combine(BotHostFactory.RepositoryRoot, "data", "linping-demo.json"));
        builder.UseSetting("WeCom:ApiBaseUrl", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FakeApiPort}"));
        builder.UseSetting("DingTalk:ApiBaseUrl", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FakeDingTalkPort}"));
        builder.UseSetting("DingTalk:OapiBaseUrl", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FakeDingTalkPort}"));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ICallerDirectory>();
            services.AddScoped<ICallerDirectory>(provider => new SlowCallerDirectory(ActivatorUtilities.CreateInstance<RosterCallerDirectory>(provider)));
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var path in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A SQLite handle may outlive the host by a moment; the temp folder is cleaned eventually.
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on a fresh scope's database context.</summary>
    public async Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Takes longer than the 2 s passive-reply budget for the slow users, so their answers are sent actively.</summary>
    private sealed class SlowCallerDirectory(ICallerDirectory inner) : ICallerDirectory
    {
        public async Task<Caller?> FindAsync(string channel, string userId, CancellationToken cancellationToken)
        {
            if (userId.StartsWith(SlowUserPrefix, StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None);
            }

            return await inner.FindAsync(channel, userId, cancellationToken);
        }
    }
}
