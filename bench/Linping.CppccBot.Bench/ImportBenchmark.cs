using System.Diagnostics;
using System.Globalization;
using System.Text;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Import;

namespace Linping.CppccBot.Bench;

/// <summary>
/// The office's proposal list of 5,000 rows imported into a database that has the roster: first into an empty
/// proposal table, then the same file again (nothing changes), then a file in which every proposal moved on (status,
/// dates, units, reply). The host's services are composed in this process as Program.cs does, on a SQLite file or,
/// with <c>--postgres</c>, on a PostgreSQL server the bench starts; each import runs in its own scope, as the staff
/// API's request or the <c>import</c> command does. Then the proposal news that the last import made due, as the minute
/// job sends it, and the job's next run.
/// </summary>
internal static class ImportBenchmark
{
    private const int Members = 500;

    public static async Task<BenchSection> RunAsync(BenchOptions options)
    {
        var directory = MachineInfo.NewTempDirectory("import");
        try
        {
            await using var postgres = options.UsePostgres ? await BenchPostgres.StartAsync() : null;
            await using var app = await BuildHostAsync(directory, postgres?.ConnectionString);
            var rows = options.ImportProposals;
            var roster = await ImportAsync(app, "roster.csv", RosterCsv());
            var first = await ImportAsync(app, "proposals.csv", ProposalsCsv(rows, movedOn: false));
            var again = await ImportAsync(app, "proposals.csv", ProposalsCsv(rows, movedOn: false));
            var moved = await ImportAsync(app, "proposals.csv", ProposalsCsv(rows, movedOn: true));
            var news = await ProposalNewsAsync(app);
            var nextMinute = await ProposalNewsAsync(app);

            var passed = roster.Result.Succeeded && roster.Result.Counts.Members.Created == Members
                && first.Result.Succeeded && first.Result.Counts.Proposals.Created == rows
                && again.Result.Succeeded && again.Result.Counts.Proposals.Unchanged == rows
                && moved.Result.Succeeded && moved.Result.Counts.Proposals.Updated == rows
                && news.Summary.Claimed == 2 * rows && news.Summary.NoChannel == 2 * rows
                && nextMinute.Summary.Claimed == 0;

            var md = new StringBuilder();
            var c = CultureInfo.InvariantCulture;
            md.AppendLine(c, $"### Import of {rows:N0} proposals ({(postgres is null ? "SQLite" : "PostgreSQL")})").AppendLine();
            md.AppendLine(c, $"A proposal list as CSV ({rows:N0} rows: 案号, 标题, two proposers of a {Members}-member roster, 类别, 办理状态, 主办单位, two 协办单位, 交办日期, 答复日期, 答复类别) through `DataImporter`, the host's services composed in the bench process on {(postgres is null ? "a SQLite file" : "a PostgreSQL server the bench starts (its default settings, fsync on)")}; each import in its own scope, as a staff API request. Wall time of the whole import: reading, validation and the transaction.").AppendLine();
            md.AppendLine("| Import | Result | Wall time | Processor time |");
            md.AppendLine("|---|---|---:|---:|");
            foreach (var (name, run) in new[] { ("roster (not the measure)", roster), ("proposals, first time", first), ("the same file again", again), ("every proposal moved on", moved) })
            {
                md.AppendLine(c, $"| {name} | {(run.Result.Succeeded ? run.Result.Counts.ToString() : string.Join("; ", run.Result.Errors.Take(3)))} | {run.Wall.TotalSeconds:0.00} s | {run.Cpu.TotalSeconds:0.00} s |");
            }

            foreach (var (name, run) in new[] { ("proposal news after it (2 proposers each)", news), ("proposal news, the next minute (nothing new)", nextMinute) })
            {
                var summary = run.Summary;
                md.AppendLine(c, $"| {name} | {summary.Claimed:N0} claimed, {summary.NoChannel:N0} without a channel | {run.Wall.TotalSeconds:0.00} s | {run.Cpu.TotalSeconds:0.00} s |");
            }

            md.AppendLine().AppendLine("The proposal news runs are `ProposalNewsDispatcher.RunAsync` as the minute job calls it after the last import, which made every proposal 已答复 today: one 提案答复 per proposer, in the ledger. No app is configured in the bench, so each row is settled NoChannel: the measure is the dispatcher's database work (finding the news, claiming it, reading the proposals and members), not the sends. The next minute's run finds the same proposals and the ledger rows that settle them, as every run does for `Reminders:ProposalNewsWindow` after such an import.");
            md.AppendLine().AppendLine(passed ? "Every import stored what it should, and the news run claimed one row per proposer, once." : "**The run is wrong: an import failed or counted other than expected (see the table).**");
            return new BenchSection(md.ToString(), passed);
        }
        finally
        {
            MachineInfo.DeleteQuietly(directory, options.Keep);
        }
    }

    private static async Task<(ImportResult Result, TimeSpan Wall, TimeSpan Cpu)> ImportAsync(WebApplication app, string fileName, string csv)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<DataImporter>();
        using var stream = new MemoryStream(bytes);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = await importer.ImportFileAsync(stream, fileName, CancellationToken.None);
        wall.Stop();
        return (result, wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }

    private static async Task<(ReminderRunSummary Summary, TimeSpan Wall, TimeSpan Cpu)> ProposalNewsAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<ProposalNewsDispatcher>();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var summary = await dispatcher.RunAsync(CancellationToken.None);
        wall.Stop();
        return (summary, wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }

    private static string RosterCsv()
    {
        var csv = new StringBuilder("编号,姓名,界别,企业微信账号,手机号码\n");
        for (var i = 1; i <= Members; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"B{i:0000},委员{i:0000},经济界,bench{i:0000},138{i:00000000}\n");
        }

        return csv.ToString();
    }

    /// <summary>
    /// Proposals 一届五次第0001号 …: the first file has each 已交办 with its 交办日期; the moved-on file has each 已答复,
    /// with a 答复日期, an answer class and other co-units.
    /// </summary>
    private static string ProposalsCsv(int rows, bool movedOn)
    {
        var csv = new StringBuilder("案号,标题,提案人,类别,是否重点,办理状态,主办单位,协办单位,交办日期,答复日期,答复类别\n");
        for (var i = 1; i <= rows; i++)
        {
            var lead = ((i - 1) % Members) + 1;
            var co = (i % Members) + 1;
            var coUnits = movedOn ? "区经信局、区商务局" : "区经信局、区财政局";
            var reply = movedOn ? "2025-09-20,B" : ",";
            csv.Append(CultureInfo.InvariantCulture, $"一届五次第{i:0000}号,关于推进第{i}项民生实事的建议,B{lead:0000}、B{co:0000},经济,否,{(movedOn ? "已答复" : "已交办")},区发改局,{coUnits},2025-07-01,{reply}\n");
        }

        return csv.ToString();
    }

    /// <summary>The host's services as Program.cs composes them (no channels, no jobs), on a fresh database.</summary>
    private static async Task<WebApplication> BuildHostAsync(string directory, string? postgres)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DataImporter).Assembly.GetName().Name,
            ContentRootPath = directory,
            EnvironmentName = "Production",
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = postgres ?? $"Data Source={Path.Combine(directory, "import.db")}",
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["ConnectionStrings:Redis"] = string.Empty,
            ["Logging:LogLevel:Default"] = "Warning",
        });

        builder.AddBotCore();
        builder.AddTelemetry();
        builder.AddPersistence();
        var app = builder.Build();
        await app.InitializeDatabaseAsync();
        return app;
    }
}
