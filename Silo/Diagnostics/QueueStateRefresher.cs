using Microsoft.Extensions.Options;
using OrleansQueue.Client;
using OrleansQueue.Silo.Dashboard;

namespace OrleansQueue.Silo.Diagnostics;

/// <summary>Re-reads the queue's metrics into <see cref="QueueStateSnapshot"/> every
/// <see cref="DashboardOptions.GaugeRefreshInterval"/>. A failed read keeps the last snapshot: gauges go stale
/// for a moment rather than drop to zero.</summary>
internal sealed partial class QueueStateRefresher(
    JobQueueClient queue,
    QueueStateSnapshot snapshot,
    IOptions<DashboardOptions> options,
    QueueStateGauges gauges,
    ILogger<QueueStateRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Depending on the gauges is what creates them: their instruments exist once this service is resolved.
        GC.KeepAlive(gauges);
        using var timer = new PeriodicTimer(options.Value.GaugeRefreshInterval);
        var failing = false;
        do
        {
            try
            {
                snapshot.Update(await queue.GetMetricsAsync().WaitAsync(stoppingToken));
                if (failing)
                {
                    failing = false;
                    LogRecovered();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Only the first failure of a run is a warning: a silo that is stopping fails every second.
                if (!failing)
                {
                    failing = true;
                    LogRefreshFailed(ex);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
