using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Hosting;

/// <summary>A setting that is present but wrong, found while the host is put together; the message names the key.</summary>
public sealed class SettingException(string message, Exception? innerException = null) : InvalidOperationException(message, innerException);

/// <summary>A wrong setting found while registering services (<see cref="StartupFailure.AddSettingProblem"/>).</summary>
public sealed class SettingProblem;

/// <summary>
/// How a host that cannot start because of its settings says so: one line per wrong setting, naming its key, and exit
/// code 1, instead of an unhandled exception's stack trace. Anything else still fails as an unhandled exception.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>
    /// Validates every setting bound with validation on start, before the database is migrated or a command runs;
    /// the host validates them again when it starts (from its cache).
    /// </summary>
    public static void ValidateSettings(this WebApplication app) => app.Services.GetService<IStartupValidator>()?.Validate();

    /// <summary>
    /// Reports a wrong setting found while the services are registered when the settings are validated, so that it
    /// stops the start as the others do (also for a test host, which builds the host itself) instead of throwing there.
    /// </summary>
    public static IServiceCollection AddSettingProblem(this IServiceCollection services, string problem)
    {
        services.AddOptions<SettingProblem>(problem).Validate(_ => false, problem).ValidateOnStart();
        return services;
    }

    /// <summary>
    /// True when this program is the process (<c>dotnet Linping.CppccBot.dll</c>), false when another program hosts it in
    /// its own process (a test host), which then gets the exception instead.
    /// </summary>
    public static bool OwnsTheProcess => Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    /// <summary>The wrong settings <paramref name="exception"/> reports; empty when it is not about settings.</summary>
    public static IReadOnlyList<string> SettingProblems(Exception exception) => [.. Problems(exception).Distinct()];

    /// <summary>Writes the problems to standard error and sets the exit code.</summary>
    public static void Report(IReadOnlyList<string> problems, TextWriter error)
    {
        error.WriteLine(problems.Count == 1
            ? "Linping.CppccBot cannot start: a setting is wrong."
            : $"Linping.CppccBot cannot start: {problems.Count} settings are wrong.");
        foreach (var problem in problems)
        {
            error.WriteLine($"  {problem}");
        }

        Environment.ExitCode = 1;
    }

    private static IEnumerable<string> Problems(Exception exception) => exception switch
    {
        SettingException setting => [setting.Message],
        OptionsValidationException validation => validation.Failures.SelectMany(SplitAnnotationFailure),
        AggregateException aggregate => aggregate.InnerExceptions.All(e => SettingProblems(e).Count > 0)
            ? aggregate.InnerExceptions.SelectMany(Problems)
            : [],
        // The configuration binder's "Failed to convert configuration value 'x' at 'A:B' to type 'T'.", which may be
        // wrapped in its "binding has failed" or in the options factory's exceptions.
        InvalidOperationException when BinderMessage(exception) is { } message => [message],
        _ => [],
    };

    private static string? BinderMessage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is InvalidOperationException && BinderConversion().Match(e.Message) is { Success: true } match)
            {
                // Told as the settings' own checks tell it, when the type is one of ours or the runtime's.
                var type = Type.GetType(match.Groups["type"].Value) ?? typeof(StartupFailure).Assembly.GetType(match.Groups["type"].Value);
                return type is null
                    ? e.Message
                    : SettingsShape.CheckValue(match.Groups["path"].Value, match.Groups["value"].Value, type).FirstOrDefault() ?? e.Message;
            }
        }

        return null;
    }

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex BinderConversion();

    // ValidateDataAnnotations reports "DataAnnotation validation failed for 'T' members: 'P' with the error: 'M'." and
    // the messages (M) already name their keys.
    private static IEnumerable<string> SplitAnnotationFailure(string failure)
    {
        const string Marker = " with the error: '";
        var start = failure.IndexOf(Marker, StringComparison.Ordinal);
        return start < 0 || !failure.EndsWith("'.", StringComparison.Ordinal)
            ? [failure]
            : [failure[(start + Marker.Length)..^2]];
    }
}
