using System.Diagnostics.Metrics;
using System.Globalization;
using OrleansQueue.Diagnostics;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Diagnostics;

/// <summary>
/// Observable gauges of the queue's current state, on the <c>OrleansQueue</c> meter next to the grains' counters
/// (<see cref="QueueInstruments"/>). They show the queue depth even on a silo that has done nothing yet, which
/// counters cannot. Values are for the whole queue (every shard), read from <see cref="QueueStateSnapshot"/>: every
/// silo of a cluster reports the same numbers, so aggregate them across silos with <c>max</c>, not <c>sum</c>.
/// The <c>orleansqueue.queue.*</c> gauges carry a <c>queue</c> tag, one series per named queue holding jobs; a queue
/// that holds none has no series.
/// </summary>
public sealed class QueueStateGauges
{
    private static readonly KeyValuePair<string, object?>[][] PriorityTags = Enumerable.Range(0, QueueMetrics.PriorityLevels)
        .Select(p => new[] { new KeyValuePair<string, object?>("priority", p.ToString(CultureInfo.InvariantCulture)) })
        .ToArray();

    private readonly QueueStateSnapshot _snapshot;

    public QueueStateGauges(IMeterFactory meterFactory, QueueStateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _snapshot = snapshot;
        // The factory hands back the meter QueueInstruments uses: one OrleansQueue meter, every instrument prefixed.
        var meter = meterFactory.Create(QueueInstruments.MeterName);
        meter.CreateObservableGauge("orleansqueue.jobs.pending", () => Read(m => m.Pending), "{job}",
            "Jobs waiting to run, including retries waiting out their backoff.");
        meter.CreateObservableGauge("orleansqueue.jobs.ready", ReadyByPriority, "{job}",
            "Jobs ready to lease, by priority (0 is served first).");
        meter.CreateObservableGauge("orleansqueue.jobs.delayed", () => Read(m => m.Delayed), "{job}",
            "Retries waiting out their backoff.");
        meter.CreateObservableGauge("orleansqueue.jobs.processing", () => Read(m => m.Processing), "{job}",
            "Jobs leased to a worker and running.");
        meter.CreateObservableGauge("orleansqueue.queue.ready_jobs", () => PerQueue(q => q.Ready), "{job}",
            "Jobs ready to lease, by named queue.");
        meter.CreateObservableGauge("orleansqueue.queue.delayed_jobs", () => PerQueue(q => q.Delayed), "{job}",
            "Jobs waiting out a delay or a retry's backoff, by named queue.");
        meter.CreateObservableGauge("orleansqueue.queue.processing_jobs", () => PerQueue(q => q.Processing), "{job}",
            "Jobs leased to a worker and running, by named queue.");
        meter.CreateObservableGauge("orleansqueue.jobs.oldest_pending_age", OldestPendingAge, "s",
            "How long the oldest pending job has waited; 0 when nothing is pending.");
        meter.CreateObservableGauge("orleansqueue.workers.alive", () => Read(m => (long)m.LiveWorkers), "{worker}",
            "Workers that sent a heartbeat within the worker timeout.");
        meter.CreateObservableGauge("orleansqueue.workers.slots", () => Read(m => m.Workers.Where(w => w.Alive).Sum(w => (long)w.Slots)), "{slot}",
            "Job slots of the live workers.");
        meter.CreateObservableGauge("orleansqueue.workers.busy", () => Read(m => m.Workers.Where(w => w.Alive).Sum(w => (long)w.Busy)), "{slot}",
            "Slots of the live workers that are running a job.");
    }

    private IEnumerable<Measurement<long>> Read(Func<QueueMetrics, long> value) =>
        _snapshot.Latest is { } metrics ? [new Measurement<long>(value(metrics))] : [];

    private IEnumerable<Measurement<long>> ReadyByPriority() =>
        _snapshot.Latest is { } metrics
            ? metrics.PendingByPriority.Select((count, priority) => new Measurement<long>(count, PriorityTags[priority]))
            : [];

    private IEnumerable<Measurement<long>> PerQueue(Func<QueueFigures, long> value) =>
        _snapshot.Latest is { } metrics
            ? metrics.Queues.Select(q => new Measurement<long>(value(q), new KeyValuePair<string, object?>("queue", q.Name)))
            : [];

    private IEnumerable<Measurement<double>> OldestPendingAge()
    {
        if (_snapshot.Latest is not { } metrics)
        {
            return [];
        }

        // Measured on the silo clock at the snapshot, as the console's metrics do.
        var age = metrics.OldestPendingSince is { } since ? Math.Max(0, (metrics.At - since).TotalSeconds) : 0;
        return [new Measurement<double>(age)];
    }
}
