using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrleansQueue.Diagnostics;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class ShardStatisticsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, double> _measured = [];

    public ShardStatisticsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == QueueInstruments.MeterName && ReferenceEquals(instrument.Meter.Scope, _services.GetRequiredService<IMeterFactory>()))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, _, _) => _measured[i.Name] = _measured.GetValueOrDefault(i.Name) + value);
        _listener.SetMeasurementEventCallback<double>((i, _, _, _) => _measured[i.Name] = _measured.GetValueOrDefault(i.Name) + 1);
        _listener.Start();
    }

    private ShardStatistics Create() => new(new QueueInstruments(_services.GetRequiredService<IMeterFactory>()), recentPerStatus: 10);

    private static AttemptEnd Ended(AttemptOutcome outcome, QueueEntry? requeue = null, bool firstCancel = false) =>
        new(new AttemptRef(Guid.CreateVersion7(), 1), outcome, requeue, T0, T0.AddSeconds(3), firstCancel);

    private static QueueEntry Entry() => new(Guid.CreateVersion7(), 5, T0, TimeSpan.FromMinutes(1), Attempt: 2);

    [Fact]
    public void OnAttemptEnded_CountsEachOutcomeOnce_InTheCounterAndItsInstrument()
    {
        var stats = Create();

        stats.OnAttemptEnded(Ended(AttemptOutcome.Completed), TimeSpan.FromSeconds(2), T0.AddSeconds(3));
        stats.OnAttemptEnded(Ended(AttemptOutcome.Failed), TimeSpan.FromSeconds(1), T0.AddSeconds(3));
        stats.OnAttemptEnded(Ended(AttemptOutcome.Failed, Entry()), TimeSpan.FromSeconds(1), T0.AddSeconds(3));
        stats.OnAttemptEnded(Ended(AttemptOutcome.DeadlineExceeded, Entry()), null, T0.AddSeconds(3));
        stats.OnAttemptEnded(Ended(AttemptOutcome.WorkerLost), null, T0.AddSeconds(3));
        stats.OnAttemptEnded(Ended(AttemptOutcome.HandedBack, Entry()), null, T0.AddSeconds(3));

        var m = stats.Snapshot(T0.AddSeconds(4));
        Assert.Equal((1L, 2L, 1L, 1L, 1L), (m.Completed, m.Failed, m.Retried, m.RequeuedDeadline, m.RequeuedHandedBack));
        Assert.Equal((3L, 1L), (m.RunTimes.Count, m.EndToEndTimes.Count));
        Assert.Equal(1, _measured["orleansqueue.jobs.completed"]);
        Assert.Equal(2, _measured["orleansqueue.jobs.failed"]);
        Assert.Equal(1, _measured["orleansqueue.jobs.retried"]);
        Assert.Equal(2, _measured["orleansqueue.jobs.requeued"]);
        Assert.Equal(3, _measured["orleansqueue.job.run.duration"]);
    }

    [Fact]
    public void OnCancelled_CountsAJobOnlyOnItsFirstCancel_ButListsItEachTime()
    {
        var stats = Create();
        var id = Guid.CreateVersion7();

        stats.OnCancelled(id, firstCancel: true);
        stats.OnCancelled(id, firstCancel: false);
        stats.OnAttemptEnded(Ended(AttemptOutcome.Cancelled, firstCancel: false), null, T0);

        Assert.Equal(1, stats.Snapshot(T0).Cancelled);
        Assert.Equal(1, _measured["orleansqueue.jobs.cancelled"]);
        Assert.Equal(id, stats.Newest(JobStatus.Cancelled).Skip(1).First());
    }

    [Fact]
    public void CountersAndRecentJobs_SurviveASaveAndRestore()
    {
        var stats = Create();
        stats.OnSubmitted(3);
        stats.OnFailed(Guid.CreateVersion7());
        var done = Guid.CreateVersion7();
        stats.OnCompleted(done, TimeSpan.FromSeconds(1), T0);

        var restored = Create();
        restored.Restore(stats.Counters, stats.Recent.ToList());

        var m = restored.Snapshot(T0);
        Assert.Equal((3L, 1L, 1L), (m.Submitted, m.Completed, m.Failed));
        Assert.Equal([done], restored.Newest(JobStatus.Completed));
    }

    [Fact]
    public void OnLeased_RecordsEachWait_AndTheLatencyWindowForgetsOldOnes()
    {
        var stats = Create();

        stats.OnLeased([TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(7)], T0);

        Assert.Equal(2, stats.Snapshot(T0).WaitTimes.Count);
        Assert.Equal(0, stats.Snapshot(T0 + ShardStatistics.LatencyWindow * 2).WaitTimes.Count);
        Assert.Equal(2, _measured["orleansqueue.jobs.leased"]);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
