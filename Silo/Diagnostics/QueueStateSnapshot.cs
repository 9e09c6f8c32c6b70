using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Diagnostics;

/// <summary>The latest whole-queue metrics, kept for the observable gauges: a scrape reads memory, never grains.</summary>
public sealed class QueueStateSnapshot
{
    private volatile QueueMetrics? _latest;

    /// <summary>Null until the first refresh succeeds; the gauges report nothing rather than a made-up zero.</summary>
    public QueueMetrics? Latest => _latest;

    public void Update(QueueMetrics metrics) => _latest = metrics ?? throw new ArgumentNullException(nameof(metrics));
}
