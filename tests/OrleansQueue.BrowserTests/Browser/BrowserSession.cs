using Microsoft.Playwright;

namespace OrleansQueue.BrowserTests.Browser;

/// <summary>A headless chromium with a fresh profile in a temporary folder, driven through Playwright. Disposing
/// closes the browser (ending its processes) and deletes the profile, whatever the test's outcome.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly DirectoryInfo _profile;

    private BrowserSession(IPlaywright playwright, IBrowserContext context, DirectoryInfo profile, IPage page)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<BrowserSession> StartAsync()
    {
        var executable = Chromium.Executable();
        var profile = Directory.CreateTempSubdirectory("oq-chromium-");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Chromium.Arguments,
                Timeout = (float)LaunchTimeout.TotalMilliseconds,
                ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            page.SetDefaultTimeout(15_000);
            return new BrowserSession(playwright, context, profile, page);
        }
        catch
        {
            playwright.Dispose();
            DeleteProfile(profile);
            throw;
        }
    }

    /// <summary>Saves what the page shows now under the test output's <c>screenshots</c> folder and returns the path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var path = Path.Combine(folder.FullName, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _context.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // The browser is already gone; disposing Playwright below ends its driver either way.
        }
        finally
        {
            _playwright.Dispose();
            DeleteProfile(_profile);
        }
    }

    private static void DeleteProfile(DirectoryInfo profile)
    {
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying browser process; the temporary folder is cleaned eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
