using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Storage;

namespace OrleansQueue.Tests.Domain;

public sealed class ShardJournalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerId W1 = new("w1", "i1");
    private static readonly QueueOptions Options = new() { Shards = 1, CompactAfterEntries = 100 };

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSerializer().BuildServiceProvider();
    private readonly RecordingStorage _storage;

    public ShardJournalTests() => _storage = new RecordingStorage(new LocalGrainStorage(_services.GetRequiredService<Serializer>()));

    public void Dispose() => _services.Dispose();

    private ShardLedger Ledger() =>
        new(Options, new ShardStatistics(new QueueInstruments(_services.GetRequiredService<IMeterFactory>()), recentPerStatus: 10), shard: 0);

    /// <summary>A shard's activation: a ledger restored from what its journal holds.</summary>
    private async Task<(ShardLedger Ledger, ShardJournal Journal)> Activate()
    {
        var ledger = Ledger();
        var journal = new ShardJournal(_storage, ledger, Options, NullLogger.Instance, shard: 0);
        ledger.Restore(await journal.LoadAsync(), T0);
        return (ledger, journal);
    }

    private static QueueEntry Entry(int priority = 5, int second = 0) =>
        new(Guid.CreateVersion7(), priority, T0.AddSeconds(second), TimeSpan.FromMinutes(1));

    [Fact]
    public async Task ACommittedChange_IsWhatTheNextActivationLoads_InTheSameOrder()
    {
        var (ledger, journal) = await Activate();
        var entries = Enumerable.Range(0, 5).Select(i => Entry(second: i)).ToList();
        ledger.Enqueue(entries, cause: null, T0);
        var (_, leases) = ledger.Lease(W1, QueueNames.DefaultOnly, 1, T0);
        ledger.Remove(entries[3].JobId, firstCancel: true);
        await journal.CommitAsync();

        var (restored, _) = await Activate();

        Assert.Equal([entries[1].JobId, entries[2].JobId, entries[4].JobId], restored.List(JobStatus.Pending));
        Assert.Equal([leases[0].JobId], restored.List(JobStatus.Processing));
        Assert.Equal([entries[3].JobId], restored.List(JobStatus.Cancelled));
    }

    [Fact]
    public async Task BuriedJobs_SurviveARestart_InTheOrderBuried_AndAKickedOneIsPendingAgain()
    {
        var (ledger, journal) = await Activate();
        var entries = Enumerable.Range(0, 3).Select(i => Entry(second: i)).ToList();
        ledger.Enqueue(entries, cause: null, T0);
        var (_, leases) = ledger.Lease(W1, QueueNames.DefaultOnly, 3, T0);
        // Buried in the order 2, 0, 1; then 1 is kicked (its job grain's entry comes back as an enqueue).
        foreach (var i in new[] { 2, 0, 1 })
        {
            var lease = leases.Single(l => l.JobId == entries[i].JobId);
            var notice = new AttemptEnd(new AttemptRef(lease.JobId, lease.Attempt), AttemptOutcome.Buried, null, T0, T0, Bury: entries[i] with { Attempt = 2 });
            ledger.AttemptsEnded([notice], T0);
            await journal.CommitAsync();
        }

        ledger.Enqueue([entries[1] with { Attempt = 2 }], RequeueCause.Manual, T0);
        await journal.CommitAsync();

        var (restored, _) = await Activate();

        Assert.Equal([entries[2].JobId, entries[0].JobId], restored.List(JobStatus.Buried));
        Assert.Equal([entries[2].JobId, entries[0].JobId], restored.Buried(QueueNames.Default));
        Assert.Equal([entries[1].JobId], restored.List(JobStatus.Pending));
        Assert.Empty(restored.List(JobStatus.Processing));
        restored.Remove(entries[0].JobId, firstCancel: true);
        Assert.Equal([entries[2].JobId], restored.List(JobStatus.Buried));
    }

    [Fact]
    public async Task CommitsThatArriveDuringAWrite_ShareTheNextWrite()
    {
        var (ledger, journal) = await Activate();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _storage.BeforeWrite = () => gate.Task;
        var writesBefore = _storage.Writes;

        ledger.Enqueue([Entry()], cause: null, T0);
        var first = journal.CommitAsync();
        var waiting = Enumerable.Range(0, 10).Select(_ =>
        {
            ledger.Enqueue([Entry()], cause: null, T0);
            return journal.CommitAsync();
        }).ToList();
        gate.SetResult();
        await first;
        await Task.WhenAll(waiting);

        Assert.Equal(2, _storage.Writes - writesBefore);
        Assert.Equal(11, (await Activate()).Ledger.Count);
    }

    [Fact]
    public async Task Compaction_WritesASnapshot_AndDeletesTheEntriesItCovers()
    {
        var (ledger, journal) = await Activate();
        var kept = Entry(priority: 0);
        ledger.Enqueue([kept], cause: null, T0);
        for (var i = 0; i < 200; i++)
        {
            var entry = Entry();
            ledger.Enqueue([entry], cause: null, T0);
            await journal.CommitAsync();
            ledger.Remove(entry.JobId, firstCancel: true);
            await journal.CommitAsync();
        }

        await journal.CloseAsync();

        Assert.InRange(_storage.Stored(key => key.Contains("oq-journal", StringComparison.Ordinal)), 1, Options.CompactAfterEntries + 1);
        var (restored, _) = await Activate();
        Assert.Equal([kept.JobId], restored.List(JobStatus.Pending));
        Assert.Equal(10, restored.List(JobStatus.Cancelled).Count());
    }

    [Fact]
    public async Task EntriesWhoseDeletionFailed_AreDeletedWithTheNextCompaction()
    {
        var (ledger, journal) = await Activate();
        async Task ChurnAsync(int times)
        {
            for (var i = 0; i < times; i++)
            {
                var entry = Entry();
                ledger.Enqueue([entry], cause: null, T0);
                await journal.CommitAsync();
                ledger.Remove(entry.JobId, firstCancel: true);
                await journal.CommitAsync();
            }
        }

        // The first compaction's deletions fail (Redis was away): its entries stay behind.
        _storage.FailClears = true;
        await ChurnAsync(60);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (_storage.FailedClears == 0)
            {
                await Task.Delay(10, patience.Token);
            }
        }

        _storage.FailClears = false;
        await ChurnAsync(140);
        await journal.CloseAsync();

        Assert.InRange(_storage.Stored(key => key.Contains("oq-journal", StringComparison.Ordinal)), 1, Options.CompactAfterEntries + 1);
    }

    [Fact]
    public async Task AnOlderActivation_CannotWrite_OnceANewerOneHasLoaded()
    {
        var (older, olderJournal) = await Activate();
        var (newer, newerJournal) = await Activate();

        older.Enqueue([Entry()], cause: null, T0);
        await Assert.ThrowsAsync<ShardJournalFencedException>(olderJournal.CommitAsync);
        Assert.True(olderJournal.IsFenced);

        var entry = Entry();
        newer.Enqueue([entry], cause: null, T0);
        await newerJournal.CommitAsync();
        Assert.Equal([entry.JobId], (await Activate()).Ledger.List(JobStatus.Pending));
    }

    [Fact]
    public async Task Confirm_WithNothingChanged_StillWrites_SoAnOlderActivationLearnsItLostTheJournal()
    {
        // An activation paused past its silo's death: nothing changed in it, but another took the journal over.
        var (_, olderJournal) = await Activate();
        await olderJournal.ConfirmAsync();
        await Activate();

        // A commit with nothing to write cannot tell; a confirmation writes an entry, which the newer one's claim took.
        await olderJournal.CommitAsync();
        Assert.False(olderJournal.IsFenced);
        await Assert.ThrowsAsync<ShardJournalFencedException>(olderJournal.ConfirmAsync);
        Assert.True(olderJournal.IsFenced);
    }

    [Fact]
    public async Task AWriteWhoseAnswerWasLost_CountsOnce_AndTheJournalGoesOn()
    {
        var (ledger, journal) = await Activate();
        _storage.LoseNextAnswer = true;
        var entry = Entry();
        ledger.Enqueue([entry], cause: null, T0);

        await journal.CommitAsync();

        Assert.False(_storage.LoseNextAnswer);
        Assert.Equal([entry.JobId], (await Activate()).Ledger.List(JobStatus.Pending));
    }

    [Fact]
    public async Task AFailedWrite_FailsItsCommit_AndItsChangesGoWithTheNextWrite()
    {
        var (ledger, journal) = await Activate();
        _storage.FailNextWrite = true;
        var entry = Entry();
        ledger.Enqueue([entry], cause: null, T0);

        await Assert.ThrowsAsync<InvalidOperationException>(journal.CommitAsync);
        Assert.Empty((await LoadWithoutClaim()).Pending);

        await journal.CommitAsync();
        Assert.Equal([entry.JobId], (await Activate()).Ledger.List(JobStatus.Pending));
    }

    /// <summary>
    /// The crash point of <c>scripts/cluster.sh</c>'s missing completions: the lease is written, the job grain stores the
    /// completion, the shard applies its notice in memory (lease gone, counted), and its silo dies before the journal
    /// write. The restored shard holds the lease again; its take-back, the only thing that ever looks at it again, must
    /// count the completion, once.
    /// </summary>
    [Fact]
    public async Task ACompletionTheJournalNeverHeld_IsCountedOnce_ByTheRestoredShardsTakeBack()
    {
        var (ledger, journal) = await Activate();
        var job = JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("T", []), Options, 0, T0);
        ledger.Enqueue([job.ToEntry()], cause: null, T0);
        var lease = Assert.Single(ledger.Lease(W1, QueueNames.DefaultOnly, 1, T0).Leases);
        await journal.CommitAsync();
        JobLifecycle.Start(job, W1.Name, lease.Attempt, lease.LeasedAt);
        var completed = JobLifecycle.Complete(job, lease.Attempt, null, Options, T0.AddSeconds(2));
        var notice = Assert.IsType<ScheduleEffect.AttemptEnded>(completed.Effect).Notice;
        ledger.AttemptsEnded([notice], T0.AddSeconds(2));
        Assert.Equal(1L, ledger.Metrics(T0.AddSeconds(2)).Completed);

        var (restored, _) = await Activate();
        Assert.Equal([lease.JobId], restored.List(JobStatus.Processing));
        var now = T0 + Options.OrphanLeaseGrace + TimeSpan.FromSeconds(1);
        var orphan = Assert.Single(restored.Heartbeat(new WorkerHeartbeat(W1, 8, []), now).Orphans);
        var (reply, _) = JobLifecycle.TakeBack(job, orphan.Attempt, orphan.LeasedAt, RequeueCause.HandedBack, now);
        restored.SettleTakeBack(orphan, reply, TimeSpan.FromSeconds(1), now);

        var metrics = restored.Metrics(now);
        Assert.Equal((1L, 0L, 0L), (metrics.Completed, metrics.Processing, metrics.RequeuedHandedBack));
        Assert.Equal([lease.JobId], restored.List(JobStatus.Completed));

        // The same notice arriving late (from a report sent to the dead silo) counts nothing more.
        restored.AttemptsEnded([notice], now);
        Assert.Equal(1L, restored.Metrics(now).Completed);
    }

    /// <summary>What a new activation would load, read without claiming the journal (so the writer is not fenced).</summary>
    private async Task<ScheduleState> LoadWithoutClaim()
    {
        var copy = new RecordingStorage(_storage) { ReadOnly = true };
        var journal = new ShardJournal(copy, Ledger(), Options, NullLogger.Instance, shard: 0);
        return await journal.LoadAsync();
    }

    [Fact]
    public void Replay_KeepsFifoWithinAPriority_AndTheLastPlaceOfEachJob()
    {
        var a = Entry(second: 1);
        var b = Entry(second: 2);
        var c = Entry(second: 0);
        var lease = new LeaseRecord(b.JobId, W1, 1, T0, T0.AddMinutes(1));
        var snapshot = new ScheduleState { Pending = [a, b], Counters = new ScheduleCounters { Submitted = 2 } };
        var records = new[]
        {
            new ShardJournalRecord { Pending = [c], Counters = new ScheduleCounters { Submitted = 3 } },
            new ShardJournalRecord { Leased = [lease], Gone = [a.JobId], Finished = [new RecentJob(a.JobId, JobStatus.Cancelled)] },
            new ShardJournalRecord { Finished = [new RecentJob(a.JobId, JobStatus.Cancelled)] },
        };

        var state = ShardJournalReplay.Fold(snapshot, records);

        Assert.Equal([c], state.Pending);
        Assert.Equal([lease], state.Leases);
        Assert.Equal(3, state.Counters.Submitted);
        Assert.Equal([new RecentJob(a.JobId, JobStatus.Cancelled)], state.Recent);
    }

    /// <summary>Grain storage that counts writes and can hold, fail or lose the answer of the next one.</summary>
    private sealed class RecordingStorage(IGrainStorage inner) : IGrainStorage
    {
        private readonly HashSet<string> _keys = [];

        public int Writes { get; private set; }

        public Func<Task>? BeforeWrite { get; set; }

        public bool FailNextWrite { get; set; }

        public bool LoseNextAnswer { get; set; }

        public bool ReadOnly { get; init; }

        /// <summary>Every deletion fails while set.</summary>
        public bool FailClears { get; set; }

        public int FailedClears => Volatile.Read(ref _failedClears);

        private int _failedClears;

        public int Stored(Func<string, bool> match) => _keys.Count(match);

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (ReadOnly)
            {
                return;
            }

            Writes++;
            if (BeforeWrite is { } before)
            {
                await before();
            }

            if (FailNextWrite)
            {
                FailNextWrite = false;
                throw new InvalidOperationException("storage unavailable");
            }

            await inner.WriteStateAsync(stateName, grainId, grainState);
            _keys.Add(grainId.ToString());
            if (LoseNextAnswer)
            {
                LoseNextAnswer = false;
                throw new TimeoutException("the answer was lost");
            }
        }

        public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (FailClears)
            {
                Interlocked.Increment(ref _failedClears);
                throw new InvalidOperationException("storage unavailable");
            }

            await inner.ClearStateAsync(stateName, grainId, grainState);
            _keys.Remove(grainId.ToString());
        }
    }
}
