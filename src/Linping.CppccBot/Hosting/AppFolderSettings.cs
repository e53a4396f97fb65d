using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// The host reads <c>appsettings.json</c> (and <c>appsettings.{Environment}.json</c>) from its content root, the working
/// folder. Started from another folder (<c>dotnet /opt/cppccbot/Linping.CppccBot.dll</c> from <c>/</c>, a service
/// without a working directory), it would run without them: every log category at Information, EF Core's SQL included.
/// A file missing there is read from the app's own folder instead, at the same place among the sources, so
/// environment variables and the command line still override it. Data (the SQLite file) stays in the working folder.
/// </summary>
internal static class AppFolderSettings
{
    public static void UseAppFolderForMissingFiles(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        var appFolder = AppContext.BaseDirectory;
        if (string.Equals(Path.GetFullPath(contentRoot).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(appFolder).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            return;
        }

        var sources = builder.Configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } path } json
                && path.StartsWith("appsettings.", StringComparison.OrdinalIgnoreCase)
                && !File.Exists(Path.Combine(contentRoot, path))
                && File.Exists(Path.Combine(appFolder, path)))
            {
                // Replacing the source reloads the configuration.
                sources[i] = new JsonConfigurationSource
                {
                    Path = path,
                    Optional = json.Optional,
                    ReloadOnChange = json.ReloadOnChange,
                    FileProvider = new PhysicalFileProvider(appFolder),
                };
            }
        }
    }
}
