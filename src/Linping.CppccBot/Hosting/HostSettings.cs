using Microsoft.AspNetCore.Http;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// The settings ASP.NET Core reads itself, checked as the bot's own are: a listening address (<c>ASPNETCORE_URLS</c>)
/// Kestrel would refuse only once the database is migrated, with a stack trace and without the key, a host name of
/// <c>AllowedHosts</c> that no request can match (every request would get 400), and a log level
/// (<c>Logging:LogLevel:*</c>) the logging setup would refuse with an unhandled exception that names no key.
/// </summary>
public static class HostSettings
{
    private const string LogLevelSection = "LogLevel";

    public static IHostApplicationBuilder CheckHostSettings(this IHostApplicationBuilder builder)
    {
        var urls = UrlProblems(builder.Configuration["urls"]).Concat(AllowedHostProblems(builder.Configuration[AllowedHostsKey])).ToList();
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

    /// <summary>The host names the host answers (ASP.NET Core's host filtering); <c>*</c> is any.</summary>
    public const string AllowedHostsKey = "AllowedHosts";

    /// <summary>
    /// Each entry of <c>AllowedHosts</c> must be a host name, <c>*.</c> and a domain, an IPv4 address, a bracketed IPv6
    /// address or <c>*</c>: host filtering compares it with the request's Host header without its port, so an entry
    /// with a scheme, a port or a path matches no request and the host would answer every one with 400.
    /// </summary>
    private static IEnumerable<string> AllowedHostProblems(string? allowedHosts)
    {
        foreach (var entry in (allowedHosts ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
            var valid = entry == "*"
                || (name.StartsWith('[') && name.EndsWith(']') && System.Net.IPAddress.TryParse(name[1..^1], out _))
                || Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4;
            if (!valid)
            {
                yield return $"{AllowedHostsKey}: '{entry}' is not a host name such as bot.example.gov.cn, *.example.gov.cn or 10.0.0.5 (no scheme, port or path; several are separated by ;): no request would match it.";
            }
        }
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
