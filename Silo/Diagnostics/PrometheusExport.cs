using Prometheus;

namespace OrleansQueue.Silo.Diagnostics;

/// <summary>
/// Sets up prometheus-net's bridge from .NET meters (its MeterAdapter) and starts it with the silo. prometheus-net
/// names a series after meter and instrument (<c>OrleansQueue</c> + <c>orleansqueue.jobs.pending</c> gives
/// <c>orleansqueue_orleansqueue_jobs_pending</c>) and shows counters as gauges holding the running total.
/// </summary>
internal sealed class PrometheusExport : IHostedService
{
    /// <summary>prometheus-net drops a series that has not changed for this long (default 5 min), and a dropped counter
    /// starts again from its next increment, which Prometheus reads as a counter reset. One day is the most it allows.</summary>
    private static readonly TimeSpan SeriesLifetime = TimeSpan.FromDays(1);

    static PrometheusExport()
    {
        Metrics.ConfigureMeterAdapter(options =>
        {
            options.MetricsExpireAfter = SeriesLifetime;
            // The runtime's private QUIC diagnostics (no QUIC is used here) are thirty series of zeros.
            options.InstrumentFilterPredicate = instrument =>
                !instrument.Meter.Name.StartsWith("Private.InternalDiagnostics.", StringComparison.Ordinal);
        });
    }

    /// <summary>The adapters start listening at the registry's first collection; collect once now so the counters
    /// count from the start rather than from the first scrape.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
