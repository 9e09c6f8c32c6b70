using System.Diagnostics.Metrics;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Diagnostics;

/// <summary>
/// The queue's <see cref="System.Diagnostics.Metrics"/> instruments, on the <c>OrleansQueue</c> meter.
/// Each silo counts what its own grains do; a collector (dotnet-counters, OpenTelemetry) adds up the silos.
/// </summary>
public sealed class QueueInstruments : IDisposable
{
    public const string MeterName = "OrleansQueue";

    private readonly Meter _meter;
    private readonly Counter<long> _submitted;
    private readonly Counter<long> _leased;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _requeued;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _forgotten;
    private readonly Histogram<double> _waitTime;
    private readonly Histogram<double> _runTime;
    private readonly Histogram<double> _storage;

    public QueueInstruments(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _submitted = _meter.CreateCounter<long>("orleansqueue.jobs.submitted", "{job}", "Jobs accepted at submit.");
        _leased = _meter.CreateCounter<long>("orleansqueue.jobs.leased", "{job}", "Attempts started by a lease.");
        _completed = _meter.CreateCounter<long>("orleansqueue.jobs.completed", "{job}", "Jobs that completed.");
        _failed = _meter.CreateCounter<long>("orleansqueue.jobs.failed", "{job}", "Jobs that failed for good.");
        _retried = _meter.CreateCounter<long>("orleansqueue.jobs.retried", "{job}", "Failed attempts that were retried.");
        _requeued = _meter.CreateCounter<long>("orleansqueue.jobs.requeued", "{job}", "Jobs sent back to the queue, by cause.");
        _cancelled = _meter.CreateCounter<long>("orleansqueue.jobs.cancelled", "{job}", "Jobs cancelled.");
        _forgotten = _meter.CreateCounter<long>("orleansqueue.jobs.forgotten", "{job}", "Finished jobs forgotten, by reason: their retention passed, or their silo held more than its limit.");
        _waitTime = _meter.CreateHistogram<double>("orleansqueue.job.wait.duration", "s", "Time from (re)queueing to the start of an attempt.");
        _runTime = _meter.CreateHistogram<double>("orleansqueue.job.run.duration", "s", "Run time of attempts that completed or failed.");
        _storage = _meter.CreateHistogram<double>(
            "orleansqueue.storage.duration", "s", "Reads, writes and clears of the queue's grain storage (job states, job numbers, the shards' journal), by operation, state and outcome.");
    }

    public void Submitted(int count) => _submitted.Add(count);

    public void Leased(int count) => _leased.Add(count);

    public void Completed() => _completed.Add(1);

    public void Failed() => _failed.Add(1);

    public void Retried() => _retried.Add(1);

    public void Cancelled() => _cancelled.Add(1);

    public void Forgotten(int count, ForgetReason reason) =>
        _forgotten.Add(count, new KeyValuePair<string, object?>("reason", reason == ForgetReason.Limit ? "limit" : "retention"));

    public void WaitTime(TimeSpan wait) => _waitTime.Record(wait.TotalSeconds);

    public void RunTime(TimeSpan run) => _runTime.Record(run.TotalSeconds);

    /// <summary>A read, write or clear of the queue's grain storage (<see cref="Storage.TimedGrainStorage"/>) that took
    /// <paramref name="elapsed"/>; <paramref name="failed"/> when the storage threw.</summary>
    public void StorageOperation(string operation, string state, bool failed, TimeSpan elapsed)
    {
        if (_storage.Enabled)
        {
            _storage.Record(
                elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("operation", operation),
                new KeyValuePair<string, object?>("state", state),
                new KeyValuePair<string, object?>("outcome", failed ? "error" : "ok"));
        }
    }

    public void Requeued(RequeueCause cause) =>
        _requeued.Add(1, new KeyValuePair<string, object?>("cause", cause.ToString().ToLowerInvariant()));

    public void Dispose() => _meter.Dispose();
}
