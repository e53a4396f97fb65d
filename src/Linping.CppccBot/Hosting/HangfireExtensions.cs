using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Hangfire.Redis.StackExchange;
using Hangfire.Storage.SQLite;
using Linping.CppccBot.Features.Console;
using Linping.CppccBot.Features.Reminders;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Linping.CppccBot.Hosting;

public static partial class HangfireExtensions
{
    /// <summary>The dashboard for scripts, with the bearer key.</summary>
    public const string DashboardPath = "/hangfire";

    /// <summary>The dashboard for staff signed in to the console with the key: inside the console cookie's path.</summary>
    public const string ConsoleDashboardPath = ConsoleEndpoints.Prefix + "/hangfire";

    /// <summary>
    /// Hangfire with Redis storage when <c>ConnectionStrings:Redis</c> is set, else a SQLite file beside the database
    /// (it survives a restart). The storage is this host's own <see cref="JobStorage"/> service rather than Hangfire's
    /// static one, so hosts in one process keep theirs. This host runs the jobs when <c>Reminders:Schedule</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddBackgroundJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<AdminOptions>().BindSettings(AdminOptions.SectionName);
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            var path = EmbeddedStoragePath(builder.Configuration.GetConnectionString("Database"), builder.Environment.ContentRootPath);
            services.AddSingleton<JobStorage>(_ =>
            {
                Persistence.PrivateDatabaseFile.Prepare(path);
                return new SQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(2) });
            });
        }
        else
        {
            var prefix = builder.Configuration.GetValue(RedisExtensions.KeyPrefixKey, RedisExtensions.DefaultKeyPrefix)!;
            services.AddSingleton<JobStorage>(sp => new RedisStorage(sp.GetRequiredService<IConnectionMultiplexer>(), new RedisStorageOptions { Prefix = prefix + "hangfire:" }));
        }

        services.AddSingleton<HangfireDashboardAuthorization>();
        services.AddSingleton<ConsoleDashboardAuthorization>();
        services.AddScoped<ReminderJob>();
        // Hangfire keeps its log provider and job activator in statics; this host's own services take precedence, and
        // logging survives the host's logger factory being disposed (tests run several hosts in one process).
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));

        var schedule = builder.Configuration[$"{ReminderOptions.SectionName}:{nameof(ReminderOptions.Schedule)}"] ?? ReminderOptions.DefaultSchedule;
        if (!string.IsNullOrWhiteSpace(schedule))
        {
            services.AddHangfireServer((sp, server) =>
            {
                server.WorkerCount = 2;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(15);
            });
            services.AddHostedService<ReminderScheduleRegistration>();
        }

        return builder;
    }

    /// <summary>
    /// The dashboard, for staff only: at <c>/console/hangfire</c> for a console session opened with the key (without a
    /// session: the console's login, which comes back here), and at <c>/hangfire</c> for scripts with the bearer key
    /// (<see cref="HangfireDashboardAuthorization"/>). Both are checked before Hangfire's middleware runs: Hangfire makes
    /// its antiforgery tokens, and so sets the console's antiforgery cookie, before its own authorization filters refuse a
    /// request. The scripts' dashboard takes no antiforgery token at all: its requests carry the key in a header, which a
    /// browser never adds to a forged request, and the console's antiforgery cookie (path <c>/console</c>) never came
    /// back to it, so its own POSTs (the live counters) were refused.
    /// </summary>
    public static IApplicationBuilder MapHangfireDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var storage = app.Services.GetRequiredService<JobStorage>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(ConsoleDashboardPath, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(ConsoleDashboardGateAsync));
        var bearer = app.Services.GetRequiredService<HangfireDashboardAuthorization>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use((http, next) =>
            {
                if (bearer.Allows(http.Request))
                {
                    return next(http);
                }

                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }));
        app.UseHangfireDashboard(ConsoleDashboardPath, new DashboardOptions
        {
            Authorization = [app.Services.GetRequiredService<ConsoleDashboardAuthorization>()],
            AppPath = ConsoleEndpoints.Prefix,
            DashboardTitle = "Linping.CppccBot jobs",
            DisplayStorageConnectionString = false,
        }, storage);
        return app.UseHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [bearer],
            DashboardTitle = "Linping.CppccBot jobs",
            DisplayStorageConnectionString = false,
            IgnoreAntiforgeryToken = true,
        }, storage);
    }

    /// <summary>
    /// In front of <c>/console/hangfire</c>: the console's session cookie, checked as on every console page (the session
    /// row, so a logout on any host shuts the dashboard too). No session: the console's login. A session opened with
    /// the staff password: refused, the dashboard stays with the key's holders.
    /// </summary>
    private static async Task ConsoleDashboardGateAsync(HttpContext http, RequestDelegate next)
    {
        var result = await http.AuthenticateAsync(ConsoleRegistration.Scheme);
        if (!result.Succeeded || result.Principal is null)
        {
            await http.ChallengeAsync(ConsoleRegistration.Scheme);
            return;
        }

        http.User = result.Principal;
        if (!ConsoleRegistration.IsKeySession(result.Principal))
        {
            var body = Html.Of($"""<p class="error">任务面板仅供用员工密钥登录的管理员查看，请退出后用密钥登录。</p><p><a href="{ConsoleEndpoints.Prefix}">返回控制台</a></p>""");
            await ConsoleLayout.Page(http, "无权查看任务面板", body, StatusCodes.Status403Forbidden).ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    /// <summary>For <c>Data Source=cppccbot.db</c>: <c>cppccbot.hangfire.db</c> in the same folder.</summary>
    internal static string EmbeddedStoragePath(string? databaseConnectionString, string contentRoot)
    {
        string? dataSource = null;
        try
        {
            dataSource = new SqliteConnectionStringBuilder(databaseConnectionString ?? string.Empty).DataSource;
        }
        catch (ArgumentException)
        {
            // A PostgreSQL connection string: keep the job storage in the working folder.
        }

        if (string.IsNullOrWhiteSpace(dataSource) || dataSource == ":memory:")
        {
            dataSource = "cppccbot.db";
        }

        var full = Path.GetFullPath(dataSource, contentRoot);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".hangfire.db");
    }

    /// <summary>
    /// Registers (or updates) the recurring reminder job at start, in the members' time zone. While the job storage
    /// cannot be reached (Redis down when the host starts) the host starts all the same, as it stays up when Redis goes
    /// away later, and the registration is tried again until it succeeds.
    /// </summary>
    private sealed partial class ReminderScheduleRegistration(
        IRecurringJobManager jobs,
        JobStorage storage,
        IOptions<ReminderOptions> reminders,
        IOptions<BotOptions> bot,
        TimeProvider time,
        ILogger<ReminderScheduleRegistration> logger) : IHostedService, IDisposable
    {
        private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(1);

        /// <summary>How often a registered schedule is checked to be still in the job storage.</summary>
        private static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

        private readonly CancellationTokenSource _stopping = new();
        private Task _watch = Task.CompletedTask;
        private int _disposed;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            // Registered by the time the host has started, as a rule; in the background when the storage is away. Then
            // watched: a Redis that comes back without its data (no persistence, a failover, a flush) has lost the
            // recurring job, and without it no host would send a reminder again.
            var registered = TryRegister(FirstRetry);
            _watch = WatchAsync(registered, _stopping.Token);
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _stopping.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // Disposed first (a test host may dispose the services while its server still stops them): nothing runs.
                return;
            }

            await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _stopping.Cancel();
                _stopping.Dispose();
            }
        }

        private async Task WatchAsync(bool registered, CancellationToken stoppingToken)
        {
            var wait = FirstRetry;
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(registered ? CheckInterval : wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                if (!registered)
                {
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks));
                    registered = TryRegister(wait);
                }
                else if (!IsRegistered())
                {
                    LogScheduleLost(logger);
                    wait = FirstRetry;
                    registered = TryRegister(wait);
                }
            }
        }

        /// <summary>Whether the job storage still holds the schedule; true when it cannot tell (it is looked at again later).</summary>
        private bool IsRegistered()
        {
            try
            {
                using var connection = storage.GetConnection();
                return connection.GetAllEntriesFromHash($"recurring-job:{ReminderJob.RecurringJobId}") is { Count: > 0 };
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or System.Data.Common.DbException)
            {
                return true;
            }
        }

        private bool TryRegister(TimeSpan nextTry)
        {
            var zone = bot.Value.ResolveTimeZone();
            try
            {
                jobs.AddOrUpdate<ReminderJob>(
                    ReminderJob.RecurringJobId,
                    job => job.RunAsync(CancellationToken.None),
                    reminders.Value.Schedule,
                    new RecurringJobOptions { TimeZone = zone });
                LogScheduled(logger, reminders.Value.Schedule, zone.Id);
                return true;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException or System.Data.Common.DbException)
            {
                LogStorageUnavailable(logger, ex.GetType().Name, nextTry.TotalSeconds);
                return false;
            }
        }

        [LoggerMessage(EventId = 2200, Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Reminders run on the schedule '{Schedule}' ({TimeZone})")]
        private static partial void LogScheduled(ILogger logger, string schedule, string timeZone);

        [LoggerMessage(EventId = 2202, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "The reminder schedule is no longer in the job storage (Redis lost its data?); registering it again")]
        private static partial void LogScheduleLost(ILogger logger);

        [LoggerMessage(EventId = 2201, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "The reminder schedule cannot be registered yet: the job storage is unavailable ({ExceptionType}); trying again in {RetrySeconds} s")]
        private static partial void LogStorageUnavailable(ILogger logger, string exceptionType, double retrySeconds);
    }

    /// <summary>Hangfire's logs through the host's logging; nothing once that logging is gone.</summary>
    private sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
    {
        private readonly AspNetCoreLogProvider _inner = new(factory);

        public ILog GetLogger(string name)
        {
            try
            {
                return new SafeLog(_inner.GetLogger(name));
            }
            catch (ObjectDisposedException)
            {
                return new SafeLog(null);
            }
        }

        private sealed class SafeLog(ILog? inner) : ILog
        {
            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
            {
                try
                {
                    return inner?.Log(logLevel, messageFunc, exception) ?? false;
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
            }
        }
    }
}
