using System.Globalization;
using System.Text;

namespace Linping.CppccBot.Bench;

/// <summary>
/// The benchmarks of docs/benchmarks.md, one command:
/// <c>dotnet run -c Release --project bench/Linping.CppccBot.Bench -- all</c> (or reminders | callback | crypto | startup | import).
/// Each prints a Markdown section the doc takes as is.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/Linping.CppccBot.Bench -- <command> [options]

        Commands:
          all         every benchmark below, in this order: crypto, startup, callback, reminders, import
          reminders   one meeting reminder to 10,000 members and 20 groups through the Hangfire job, against a fake WeCom API
          callback    the whole WeCom callback path of the real host process vs a bare ASP.NET Core endpoint, at 1/8/32 members
          crypto      callback decrypt-and-verify operations per second
          startup     time from process start to /health/ready 200, and memory of the idle host
          import      a proposal list of 5,000 rows imported, imported again unchanged, and again with every row moved on

        Options:
          --duration <seconds>   measured time per callback level and target (default 10)
          --warmup <seconds>     warm-up per callback level and target (default 3)
          --settle <seconds>     load on host and bare endpoint before the first level, so the JIT has
                                 finished tiering up as in a server that has been running (default 30)
          --levels <list>        concurrent members, comma-separated (default 1,8,32)
          --members <count>      reminder recipients (default 10000)
          --groups <count>       reminder groups (default 20)
          --messages <list>      what the callback members send in turn, comma-separated (default 会议,我的提案,帮助)
          --proposals <count>    rows of the imported proposal list (default 5000)
          --no-redis             keep conversation state in the host process instead of a redis-server it starts
          --postgres             callback, import: the host on PostgreSQL (a server the bench starts) instead of SQLite
          --callbacks-during-load
                                 callback: encrypt and sign each callback and check each reply while the clock
                                 runs, instead of before and after each phase (the default)
          --host-setting <key=value>
                                 callback, startup: one more setting for the host (repeatable), e.g.
                                 Logging:LogLevel:Linping.CppccBot.Conversations.TurnHandler=Warning
          --keep                 keep the temporary folders (databases, host logs) and print where they are
          --out <file>           also write the Markdown to this file
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == BareServer.CommandName)
        {
            // The bare endpoint runs as its own process, as the host does (see CallbackBenchmark).
            await BareServer.RunAsync(args[1..]);
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        if (options.Command is null)
        {
            Console.WriteLine(Usage);
            return 2;
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"## Run of {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC").AppendLine();
        report.AppendLine(MachineInfo.Describe()).AppendLine();
        Console.WriteLine(report.ToString());

        var commands = options.Command == "all" ? ["crypto", "startup", "callback", "reminders", "import"] : new[] { options.Command };
        var failed = false;
        foreach (var command in commands)
        {
            Console.Error.WriteLine($"[bench] {command} ...");
            var section = command switch
            {
                "crypto" => CryptoBenchmark.Run(),
                "startup" => await StartupBenchmark.RunAsync(options),
                "callback" => await CallbackBenchmark.RunAsync(options),
                "reminders" => await ReminderBenchmark.RunAsync(options),
                "import" => await ImportBenchmark.RunAsync(options),
                _ => throw new InvalidOperationException(command),
            };
            failed |= !section.Passed;
            Console.WriteLine(section.Markdown);
            report.AppendLine(section.Markdown);
        }

        if (options.OutputPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToString());
            Console.Error.WriteLine($"[bench] written to {path}");
        }

        // A run whose results are wrong (errors, a recipient reached twice) fails; missed targets only show in the table.
        return failed ? 1 : 0;
    }
}

/// <summary>What one benchmark printed, and whether its results were correct (not whether targets were met).</summary>
internal sealed record BenchSection(string Markdown, bool Passed);

internal sealed class BenchOptions
{
    private static readonly string[] Commands = ["all", "reminders", "callback", "crypto", "startup", "import"];

    public string? Command { get; private set; }

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(10);

    public TimeSpan WarmUp { get; private set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Load before the first measured level. Tiered compilation recompiles hot methods in the background for tens of
    /// seconds after a process first sees load; a server that has been up for a while has long finished.
    /// </summary>
    public TimeSpan Settle { get; private set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<int> Levels { get; private set; } = [1, 8, 32];

    public int ReminderMembers { get; private set; } = 10_000;

    public int ReminderGroups { get; private set; } = 20;

    /// <summary>Rows of the proposal list the import benchmark imports (the import's limit by default).</summary>
    public int ImportProposals { get; private set; } = 5000;

    public bool UseRedis { get; private set; } = true;

    /// <summary>The host on PostgreSQL (a server the bench starts), as several hosts run, instead of a SQLite file.</summary>
    public bool UsePostgres { get; private set; }

    /// <summary>
    /// The load generator encrypts and signs each callback and checks each reply on the clock, instead of preparing a
    /// phase's callbacks before it and checking the replies after it (<see cref="HostCallbackLoad"/>).
    /// </summary>
    public bool CallbacksDuringLoad { get; private set; }

    /// <summary>What each callback member sends, in turn: the meetings list, their proposals, the help text.</summary>
    public IReadOnlyList<string> Messages { get; private set; } = ["会议", "我的提案", "帮助"];

    public string? OutputPath { get; private set; }

    /// <summary>More settings for the host process (<c>--host-setting key=value</c>), given on its command line.</summary>
    public IReadOnlyList<string> HostSettings => _hostSettings;

    /// <summary>Keep the temporary folders (databases, host logs) for a look afterwards.</summary>
    public bool Keep { get; private set; }

    private readonly List<string> _hostSettings = [];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "--duration":
                    options.Duration = TimeSpan.FromSeconds(PositiveInt(arg, Next()));
                    break;
                case "--warmup":
                    options.WarmUp = TimeSpan.FromSeconds(int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture));
                    break;
                case "--settle":
                    options.Settle = TimeSpan.FromSeconds(int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture));
                    break;
                case "--levels":
                    options.Levels = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => PositiveInt(arg, v))];
                    break;
                case "--members":
                    options.ReminderMembers = PositiveInt(arg, Next());
                    break;
                case "--groups":
                    options.ReminderGroups = PositiveInt(arg, Next());
                    break;
                case "--proposals":
                    options.ImportProposals = PositiveInt(arg, Next());
                    break;
                case "--messages":
                    options.Messages = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case "--no-redis":
                    options.UseRedis = false;
                    break;
                case "--postgres":
                    options.UsePostgres = true;
                    break;
                case "--callbacks-during-load":
                    options.CallbacksDuringLoad = true;
                    break;
                case "--host-setting":
                    var setting = Next();
                    options._hostSettings.Add(setting.Contains('=', StringComparison.Ordinal) && !setting.StartsWith('=')
                        ? setting
                        : throw new ArgumentException($"--host-setting needs key=value, not '{setting}'."));
                    break;
                case "--keep":
                    options.Keep = true;
                    break;
                case "--out":
                    options.OutputPath = Path.GetFullPath(Next());
                    break;
                default:
                    if (options.Command is null && Commands.Contains(arg, StringComparer.Ordinal))
                    {
                        options.Command = arg;
                        break;
                    }

                    throw new ArgumentException($"Unknown argument '{arg}'.");
            }
        }

        return options;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new ArgumentException($"{name}: '{value}' is not a positive number.");
}
