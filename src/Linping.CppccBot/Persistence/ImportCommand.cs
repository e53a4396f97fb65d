using Linping.CppccBot.Persistence.Import;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// <c>dotnet run --project src/Linping.CppccBot -- import FILE</c>: imports FILE into the configured database and exits
/// (0 on success; 1 with the errors on standard error otherwise) instead of starting the host.
/// </summary>
public static class ImportCommand
{
    public const string Name = "import";

    /// <summary>Runs the command when <paramref name="args"/> ask for it; false means "start the host as usual".</summary>
    public static async Task<bool> TryRunAsync(IHost app, string[] args)
    {
        if (args.Length == 0 || !string.Equals(args[0], Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: import FILE");
            Environment.ExitCode = 1;
            return true;
        }

        Environment.ExitCode = await RunAsync(app.Services, args[1], Console.Out, Console.Error, CancellationToken.None);
        return true;
    }

    /// <summary>Migrates (unless turned off) and imports <paramref name="path"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ImportCommand));
        await DatabaseStartup.MigrateIfEnabledAsync(provider, logger, cancellationToken);

        // A relative FILE is read from the working folder first, as a shell user expects, then as Seed:Path is.
        var contentRoot = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var resolved = File.Exists(path) ? Path.GetFullPath(path) : DatabaseStartup.ResolvePath(path, contentRoot);
        if (resolved is null)
        {
            await error.WriteLineAsync(Path.IsPathRooted(path) ? $"import: the file '{path}' was not found." : $"import: the file '{path}' was not found in {Environment.CurrentDirectory} (dotnet run works in the project folder: give an absolute path).");
            return 1;
        }

        var result = await provider.GetRequiredService<DataImporter>().ImportFileAsync(resolved, cancellationToken);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"import: {resolved} was not imported ({result.Errors.Count} errors, nothing written):");
            foreach (var importError in result.Errors)
            {
                await error.WriteLineAsync(importError.ToString());
            }

            return 1;
        }

        await output.WriteLineAsync($"import: {resolved} imported. {result.Counts}");
        foreach (var warning in result.Warnings)
        {
            await output.WriteLineAsync($"import: warning: {warning}");
        }

        foreach (var told in result.MeetingNotices)
        {
            // The running bot's reminder job sends the change notices within a minute.
            await output.WriteLineAsync($"import: 会议 {told.MeetingId}（{told.Title}）变更了{string.Join("、", told.Changed)}：{told.Notice}");
        }

        foreach (var seat in result.Promotions)
        {
            await output.WriteLineAsync($"import: 会议 {seat.MeetingId}（{seat.Title}）增加了名额：{seat.MemberName ?? seat.MemberId} 由候补转为已报名（通知：{seat.MemberTold}）");
        }

        return 0;
    }
}
