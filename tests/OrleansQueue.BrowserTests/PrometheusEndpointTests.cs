using System.Globalization;
using System.Text.RegularExpressions;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.BrowserTests;

/// <summary><c>/metrics</c>: the <c>OrleansQueue</c> meter in Prometheus' text format, queue depth included, each named
/// queue's too.</summary>
public sealed partial class PrometheusEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public Task MetricsEndpoint_PublishesTheQueueMeter_WithThePendingGaugeAtTheQueueDepth_AndEachNamedQueues() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Arrange: no worker, so the jobs stay pending.
        await silo.Cluster.SubmitAsync("REPORT", "{}", "--priority", "2", "--queue", "reports");
        await silo.Cluster.SubmitAsync("REPORT", "{}", "--priority", "7");
        await silo.Cluster.SubmitAsync("REPORT", "{}", "--priority", "7");

        // Act: the gauges re-read the queue every second, so the first scrapes may still show the old depth.
        var scrape = await Wait.UntilAsync(
            () => silo.Http.GetStringAsync(new Uri("metrics", UriKind.Relative)),
            text => Value(text, "jobs_pending") == 3,
            TimeSpan.FromSeconds(20),
            "the pending gauge reads 3");

        // Assert
        Assert.Equal(1, Value(scrape, "jobs_ready", "{priority=\"2\"}"));
        Assert.Equal(2, Value(scrape, "jobs_ready", "{priority=\"7\"}"));
        Assert.Equal(0, Value(scrape, "jobs_processing"));
        Assert.Equal(1, Value(scrape, "queue_ready_jobs", "{queue=\"reports\"}"));
        Assert.Equal(2, Value(scrape, "queue_ready_jobs", "{queue=\"default\"}"));
        Assert.Equal(0, Value(scrape, "queue_delayed_jobs", "{queue=\"reports\"}"));
        Assert.Equal(0, Value(scrape, "queue_processing_jobs", "{queue=\"default\"}"));
        Assert.Equal(0, Value(scrape, "workers_alive"));
        Assert.Equal(3, Value(scrape, "jobs_submitted"));
        Assert.True(Value(scrape, "jobs_oldest_pending_age") > 0, "the oldest pending job has waited some time");
        var series = SeriesName().Matches(scrape).Select(m => m.Value).Distinct().ToList();
        Assert.All(series.Where(s => s.Contains("orleansqueue", StringComparison.Ordinal)),
            s => Assert.StartsWith("orleansqueue_", s, StringComparison.Ordinal));
        Assert.True(series.Count(s => s.StartsWith("orleansqueue_", StringComparison.Ordinal)) >= 8, $"orleansqueue_ series: {string.Join(", ", series)}");
    });

    /// <summary>The value of a series of the <c>OrleansQueue</c> meter, e.g. <c>jobs_pending</c> for
    /// <c>orleansqueue_jobs_pending</c> (counters end in <c>_total</c>), or null when absent.</summary>
    private static double? Value(string scrape, string instrument, string labels = "")
    {
        var pattern = $@"(?m)^orleansqueue_{Regex.Escape(instrument)}(?:_total)?{Regex.Escape(labels)} (?<value>\S+)$";
        var match = Regex.Match(scrape, pattern);
        return match.Success ? double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"(?m)^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SeriesName();
}
