using Microsoft.AspNetCore.Http;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// The settings ASP.NET Core reads itself, checked as the bot's own are: a listening address (<c>ASPNETCORE_URLS</c>)
/// Kestrel would refuse only once the database is migrated, with a stack trace and without the key, and a log level
/// (<c>Logging:LogLevel:*</c>) the logging setup would refuse with an unhandled exception that names no key.
/// </summary>
public static class HostSettings
{
    private const string LogLevelSection = "LogLevel";

    public static IHostApplicationBuilder CheckHostSettings(this IHostApplicationBuilder builder)
    {
        var urls = UrlProblems(builder.Configuration["urls"]).ToList();
        var logLevels = LogLevelProblems(builder.Configuration.GetSection("Logging")).ToList();
        if (logLevels.Count > 0)
        {
            // The host cannot even be built with these (its logger reads them), so they stop the start here.
            List<SettingException> problems = [.. logLevels.Concat(urls).Select(problem => new SettingException(problem))];
            throw problems.Count == 1 ? problems[0] : new AggregateException(problems);
        }

        foreach (var problem in urls)
        {
            builder.Services.AddSettingProblem(problem);
        }

        return builder;
    }

    private static IEnumerable<string> UrlProblems(string? urls)
    {
        foreach (var address in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string? problem;
            try
            {
                var parsed = BindingAddress.Parse(address);
                problem = parsed.Scheme is "http" or "https" ? null : $"the scheme is {parsed.Scheme}, not http or https";
            }
            catch (FormatException ex)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                yield return $"ASPNETCORE_URLS (urls): '{address}' is not a listening address such as http://localhost:5000 or http://*:80 ({problem}).";
            }
        }
    }

    private static IEnumerable<string> LogLevelProblems(IConfigurationSection logging)
    {
        foreach (var (path, value) in logging.AsEnumerable().OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            // Logging:LogLevel:<category> and Logging:<provider>:LogLevel:<category>; a category name may hold dots, not colons.
            var parent = ConfigurationPath.GetParentPath(path);
            if (!string.IsNullOrEmpty(value) && parent is not null && ConfigurationPath.GetSectionKey(parent).Equals(LogLevelSection, StringComparison.OrdinalIgnoreCase)
                && !Enum.TryParse<LogLevel>(value, ignoreCase: true, out _))
            {
                yield return $"{path}: '{value}' is not a log level ({string.Join(", ", Enum.GetNames<LogLevel>())}).";
            }
        }
    }
}
