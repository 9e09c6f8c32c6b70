namespace OrleansQueue.BrowserTests.Browser;

/// <summary>Where Debian's chromium is. The tests drive the system browser: Playwright's own browser download
/// (<c>playwright install</c>) is never used, as the machines reach no download site.</summary>
public static class Chromium
{
    /// <summary>Overrides the path, e.g. for a chromium installed elsewhere.</summary>
    public const string PathVariable = "ORLEANSQUEUE_CHROMIUM";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    /// <summary>The flags of a quiet, throwaway headless browser: no sandbox (tests may run as root in a container), no
    /// GPU, and nothing that phones home (updates, sync, QUIC probes).</summary>
    public static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The executable, or a failure that says how to install it: a missing browser fails the test, never skips it.</summary>
    public static string Executable()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{PathVariable} is '{configured}', which does not exist.");
        }

        return Candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            $"Chromium is not installed (looked for {string.Join(", ", Candidates)}). The browser tests drive Debian's chromium: " +
            "install it with 'sudo apt-get update && sudo apt-get install -y chromium' (CI's .ci/run does this), " +
            $"or point {PathVariable} at a Chromium executable.");
    }
}
