using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Linping.CppccBot.Tests.Features.Console;

/// <summary>
/// One headless Debian chromium (<c>/usr/bin/chromium</c>, which scripts/test.sh installs) driven by Playwright's
/// bundled driver; no browser is downloaded. Without chromium the tests skip with the reason, except in CI where they fail.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string? UnavailableReason { get; private set; }

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(UnavailableReason);

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            UnavailableReason = $"{ExecutablePath} is missing: install Debian's chromium (apt-get install chromium), as scripts/test.sh does.";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true });
    }

    /// <summary>Skips (locally) or fails (in CI) a test when chromium is not there.</summary>
    public void RequireBrowser() => Prerequisite.Require(UnavailableReason);

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
