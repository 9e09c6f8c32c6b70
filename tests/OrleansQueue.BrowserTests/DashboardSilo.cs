using System.Globalization;
using System.Text.RegularExpressions;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.BrowserTests;

/// <summary>A real silo with its web side on a free loopback port, the console client pointed at it, and an
/// <see cref="HttpClient"/> for the page's address. No worker: submitted jobs stay pending. Disposing stops the
/// silo whatever the outcome.</summary>
public sealed partial class DashboardSilo : IAsyncDisposable
{
    private DashboardSilo(QueueCluster cluster, Uri baseUri)
    {
        Cluster = cluster;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public QueueCluster Cluster { get; }

    /// <summary>The page's address as the silo logged it, e.g. <c>http://127.0.0.1:43121/</c>.</summary>
    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    /// <summary>Starts a silo, runs <paramref name="scenario"/> and stops it; a failure carries the silo's output.</summary>
    /// <param name="siloOptions">More options for the silo, e.g. <c>--Dashboard:OrleansTrace=true</c>.</param>
    public static async Task RunAsync(ITestOutputHelper output, Func<DashboardSilo, Task> scenario, params string[] siloOptions)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        await using var silo = await StartAsync(output, siloOptions);
        await silo.Cluster.VerifyAsync(() => scenario(silo));
    }

    public static async Task<DashboardSilo> StartAsync(ITestOutputHelper output, params string[] siloOptions)
    {
        // A port found free can be taken before the silo binds it: that rare race gets one more port.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            QueueCluster cluster;
            try
            {
                cluster = await QueueCluster.StartAsync(output, ["--dashboard-port", port.ToString(CultureInfo.InvariantCulture), .. siloOptions]);
            }
            catch (EndToEndFailureException ex) when (attempt < 2 && ex.Message.Contains("dashboard port", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                var line = await cluster.Silo.WaitForLineAsync(DashboardLine(), QueueCluster.StartTimeout);
                var url = DashboardLine().Match(line.Text).Groups["url"].Value;
                var uri = new Uri(url);
                if (uri.Port != port)
                {
                    throw new InvalidOperationException($"The silo was told --dashboard-port {port} but logged '{line.Text}'.");
                }

                return new DashboardSilo(cluster, uri);
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>POSTs to the API as the page does: with <c>X-Requested-With</c>, without which the silo refuses a POST.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Requested-With", "test");
        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Cluster.DisposeAsync();
    }

    [GeneratedRegex(@"Dashboard: (?<url>http://127\.0\.0\.1:\d+/)")]
    private static partial Regex DashboardLine();
}
