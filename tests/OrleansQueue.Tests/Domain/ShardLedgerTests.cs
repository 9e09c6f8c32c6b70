using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class ShardLedgerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerId W1 = new("w1", "i1");
    private static readonly TimeSpan RetryIn = TimeSpan.FromSeconds(10);

    private static readonly QueueOptions Options = new()
    {
        Shards = 1,
        WorkerTimeout = TimeSpan.FromSeconds(10),
        ReminderPeriod = TimeSpan.FromMinutes(1),
        OrphanLeaseGrace = TimeSpan.FromSeconds(10),
    };

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private ShardLedger Create() =>
        new(Options, new ShardStatistics(new QueueInstruments(_services.GetRequiredService<IMeterFactory>()), recentPerStatus: 10), shard: 0);

    private static QueueEntry Entry(Guid? id = null, int attempt = 1, TimeSpan? deadline = null, DateTimeOffset? notBefore = null) =>
        new(id ?? Guid.CreateVersion7(), 5, T0, deadline ?? TimeSpan.FromMinutes(1), notBefore, attempt);

    private static AttemptEnd Ended(LeaseRecord lease, AttemptOutcome outcome, QueueEntry? requeue = null) =>
        new(new AttemptRef(lease.JobId, lease.Attempt), outcome, requeue, T0, T0.AddSeconds(3));

    /// <summary>A ledger holding one job leased at <see cref="T0"/> to <see cref="W1"/>, last seen then.</summary>
    private (ShardLedger Ledger, LeaseRecord Lease) Leased(TimeSpan? deadline = null)
    {
        var (ledger, _, lease) = Starting(deadline);
        return (ledger, lease);
    }

    /// <summary>Like <see cref="Leased"/>, with the job's entry, as a lease whose start is under way sees it.</summary>
    private (ShardLedger Ledger, QueueEntry Entry, LeaseRecord Lease) Starting(TimeSpan? deadline = null)
    {
        var ledger = Create();
        ledger.Touch(W1, T0);
        var entry = Entry(deadline: deadline);
        ledger.Enqueue([entry], cause: null, T0);
        var (_, leases) = ledger.Lease(W1, QueueNames.DefaultOnly, 10, T0);
        return (ledger, entry, Assert.Single(leases));
    }

    /// <summary>The job grain's answer that the attempt of <paramref name="entry"/> started.</summary>
    private static StartResult.Started Started(QueueEntry entry) =>
        new(new LeasedJob(entry.JobId, "T", [], 5, entry.Attempt, entry.Deadline, T0, 3));

    [Fact]
    public void Lease_MovesAJobFromTheIndexIntoTheLeaseTable_WithTheAttemptItsEntryNames()
    {
        var ledger = Create();
        var entry = Entry(attempt: 3);
        ledger.Enqueue([entry], cause: null, T0);

        var (entries, leases) = ledger.Lease(W1, QueueNames.DefaultOnly, 10, T0);

        Assert.Equal([entry], entries);
        Assert.Equal((entry.JobId, 3, T0 + entry.Deadline), (leases[0].JobId, leases[0].Attempt, leases[0].ExpiresAt));
        Assert.Empty(ledger.List(JobStatus.Pending));
        Assert.Equal([entry.JobId], ledger.List(JobStatus.Processing));
        Assert.Equal(1, ledger.Count);
    }

    [Fact]
    public void Metrics_GiveEachNamedQueuesReadyDelayedAndLeasedJobs()
    {
        var ledger = Create();
        ledger.Enqueue(
        [
            Entry() with { Queue = "emails" }, Entry() with { Queue = "emails" }, Entry() with { Queue = "reports" },
            Entry(notBefore: T0.AddMinutes(1)) with { Queue = "reports" }, Entry() with { Queue = "leased-only" },
        ], cause: null, T0);

        ledger.Lease(W1, ["emails"], max: 1, T0);
        ledger.Lease(W1, ["leased-only"], max: 1, T0);

        Assert.Equal(
            [new QueueFigures("emails", 1, 0, 1), new QueueFigures("leased-only", 0, 0, 1), new QueueFigures("reports", 1, 1, 0)],
            ledger.Metrics(T0).Queues.AsEnumerable());
    }

    [Fact]
    public void List_WithAQueue_ListsThatQueuesPendingLeasedAndFinishedJobs_Only()
    {
        var ledger = Create();
        var emails = Enumerable.Range(0, 3).Select(_ => Entry() with { Queue = "emails" }).ToList();
        var report = Entry() with { Queue = "reports" };
        ledger.Enqueue([.. emails, report], cause: null, T0);
        var (_, leases) = ledger.Lease(W1, ["emails", "reports"], max: 2, T0);
        var done = leases[0];
        ledger.AttemptsEnded([Ended(done, AttemptOutcome.Completed)], T0.AddSeconds(3));

        Assert.Equal([emails[2].JobId], ledger.List(JobStatus.Pending, "emails"));
        Assert.Equal([report.JobId], ledger.List(JobStatus.Pending, "reports"));
        Assert.Equal([emails[1].JobId], ledger.List(JobStatus.Processing, "emails"));
        Assert.Empty(ledger.List(JobStatus.Processing, "reports"));
        Assert.Equal([done.JobId], ledger.List(JobStatus.Completed, "emails"));
        Assert.Empty(ledger.List(JobStatus.Completed, "reports"));
        Assert.Empty(ledger.List(JobStatus.Pending, "nobody-uses-this"));
        Assert.Equal(2, ledger.List(JobStatus.Pending).Count());
    }

    [Fact]
    public void List_WithAQueue_KeepsACancelledPendingJobOfThatQueue_AcrossARestore()
    {
        var ledger = Create();
        var entry = Entry() with { Queue = "emails" };
        ledger.Enqueue([entry], cause: null, T0);
        ledger.Remove(entry.JobId, firstCancel: true);

        var restored = Create();
        restored.Restore(ledger.Capture(), T0);

        Assert.Equal([entry.JobId], restored.List(JobStatus.Cancelled, "emails"));
        Assert.Empty(restored.List(JobStatus.Cancelled, "reports"));
    }

    [Fact]
    public void LeaseJob_LeasesThatJobOnly_ReadyOrNotYetDue_AndNothingElse()
    {
        var ledger = Create();
        var first = Entry();
        var delayed = Entry(notBefore: T0.AddHours(1));
        ledger.Enqueue([first, delayed], cause: null, T0);

        var (entries, leases) = ledger.LeaseJob(W1, delayed.JobId, T0);

        Assert.Equal([delayed.JobId], entries.Select(e => e.JobId));
        Assert.Equal((delayed.JobId, W1, T0 + delayed.Deadline), (leases[0].JobId, leases[0].Worker, leases[0].ExpiresAt));
        Assert.Equal([first.JobId], ledger.List(JobStatus.Pending));
        Assert.Empty(ledger.LeaseJob(W1, delayed.JobId, T0).Entries);
        Assert.Empty(ledger.LeaseJob(W1, Guid.CreateVersion7(), T0).Leases);
    }

    [Fact]
    public void ExtendLease_MovesTheDeadline_OfTheWorkersLeaseOnly_ByAtMostTheLongestDeadline()
    {
        var (ledger, lease) = Leased(TimeSpan.FromSeconds(5));
        var attempt = new AttemptRef(lease.JobId, lease.Attempt);

        Assert.False(ledger.ExtendLease(new WorkerId("w2", "i2"), attempt, TimeSpan.FromSeconds(5), T0.AddSeconds(4)));
        Assert.True(ledger.ExtendLease(W1, attempt, TimeSpan.FromSeconds(5), T0.AddSeconds(4)));
        Assert.Empty(ledger.Sweep(T0.AddSeconds(8)).Expired);
        Assert.Equal([lease.JobId], ledger.Sweep(T0.AddSeconds(9)).Expired.Select(l => l.JobId));
    }

    [Fact]
    public void APausedQueue_IsNotLeased_UntilThePauseRunsOut_ThenItsJobsWakeLeases()
    {
        var ledger = Create();
        var paused = Entry() with { Queue = "paused" };
        var open = Entry();
        ledger.Enqueue([paused, open], cause: null, T0);
        Assert.Equal(0, ledger.Pause("paused", TimeSpan.FromSeconds(10), T0));
        IReadOnlyList<string> both = ["paused", QueueNames.Default];

        Assert.Equal([open.JobId], ledger.Lease(W1, both, 10, T0.AddSeconds(1)).Entries.Select(e => e.JobId));
        Assert.Empty(ledger.Lease(W1, both, 10, T0.AddSeconds(9)).Entries);
        Assert.Equal(TimeSpan.FromSeconds(10), Assert.Single(ledger.Counts("paused", T0.AddSeconds(9))).Pause?.Delay);
        Assert.Equal(1, ledger.Sweep(T0.AddSeconds(10)).Promoted);
        Assert.Equal([paused.JobId], ledger.Lease(W1, both, 10, T0.AddSeconds(10)).Entries.Select(e => e.JobId));
    }

    [Fact]
    public void PausingForZero_LiftsAPause_AndCountsWhatBecameLeasable()
    {
        var ledger = Create();
        ledger.Enqueue([Entry(), Entry()], cause: null, T0);
        ledger.Pause(QueueNames.Default, TimeSpan.FromHours(1), T0);

        Assert.Equal(2, ledger.Pause(QueueNames.Default, TimeSpan.Zero, T0));
        Assert.Equal(2, ledger.Lease(W1, QueueNames.DefaultOnly, 10, T0).Entries.Count);
    }

    [Fact]
    public void Enqueue_RefusesAJobThatIsLeasedHere_SoAJobIsInOnePlaceOnly()
    {
        var (ledger, lease) = Leased();

        var added = ledger.Enqueue([Entry(lease.JobId, attempt: 2)], RequeueCause.Manual, T0);

        Assert.Equal(0, added);
        Assert.Empty(ledger.List(JobStatus.Pending));
    }

    [Fact]
    public void AttemptsEnded_RequeuesARetry_CountsIt_AndCreditsTheWorker()
    {
        var (ledger, lease) = Leased();

        var requeued = ledger.AttemptsEnded([Ended(lease, AttemptOutcome.Failed, Entry(lease.JobId, attempt: 2))], T0.AddSeconds(3));

        Assert.Equal(1, requeued);
        Assert.Equal([lease.JobId], ledger.List(JobStatus.Pending));
        var metrics = ledger.Metrics(T0.AddSeconds(3));
        Assert.Equal((1, 0), (metrics.Retried, metrics.Processing));
        Assert.Equal(1, Assert.Single(metrics.Workers).Failed);
    }

    [Fact]
    public void AttemptsEnded_IgnoresTheLeaseOfAnotherAttempt()
    {
        var (ledger, lease) = Leased();

        ledger.AttemptsEnded([Ended(lease with { Attempt = lease.Attempt + 1 }, AttemptOutcome.Completed)], T0);

        Assert.Equal([lease.JobId], ledger.List(JobStatus.Processing));
    }

    [Fact]
    public void SettleTakeBack_WithoutAnAnswer_PutsTheLeaseBack_DueAgainSoon()
    {
        var (ledger, lease) = Leased();
        var expired = Assert.Single(ledger.Sweep(T0.AddMinutes(2)).Expired);

        var requeued = ledger.SettleTakeBack(expired, reply: null, RetryIn, T0.AddMinutes(2));

        Assert.False(requeued);
        Assert.Equal([lease.JobId], ledger.List(JobStatus.Processing));
        Assert.Equal(RetryIn, ledger.ReminderDue(T0.AddMinutes(2)));
    }

    [Fact]
    public void SettleTakeBack_WithoutAnAnswer_DoesNotPutBackAJobQueuedMeanwhile()
    {
        var (ledger, lease) = Leased();
        var expired = Assert.Single(ledger.Sweep(T0.AddMinutes(2)).Expired);
        ledger.Enqueue([Entry(lease.JobId, attempt: 2)], RequeueCause.Manual, T0.AddMinutes(2));

        ledger.SettleTakeBack(expired, reply: null, RetryIn, T0.AddMinutes(2));

        Assert.Empty(ledger.List(JobStatus.Processing));
        Assert.Equal([lease.JobId], ledger.List(JobStatus.Pending));
    }

    [Fact]
    public void SettleTakeBack_QueuesAnEndedAttemptsRetry_OrAPendingEntry_AndNothingForAJobThatMovedOn()
    {
        var (ledger, lease) = Leased();
        var now = T0.AddMinutes(2);
        var expired = Assert.Single(ledger.Sweep(now).Expired);
        var pending = Entry();
        var movedOn = Entry();

        Assert.True(ledger.SettleTakeBack(expired, new TakeBackReply.Ended(Ended(lease, AttemptOutcome.DeadlineExceeded, Entry(lease.JobId, attempt: 2))), RetryIn, now));
        Assert.True(ledger.SettleTakeBack(expired with { JobId = pending.JobId }, new TakeBackReply.Pending(pending), RetryIn, now));
        Assert.False(ledger.SettleTakeBack(expired with { JobId = movedOn.JobId }, new TakeBackReply.MovedOn(JobStatus.Completed), RetryIn, now));

        Assert.Equal(new HashSet<Guid> { lease.JobId, pending.JobId }, ledger.List(JobStatus.Pending).ToHashSet());
        Assert.Empty(ledger.List(JobStatus.Processing));
        Assert.Equal(1, ledger.Metrics(now).RequeuedDeadline);
    }

    [Fact]
    public void AnAttemptEnd_MetByItsNoticeAndByItsTakeBack_IsCountedOnce_InEitherOrder()
    {
        var now = T0.AddMinutes(2);
        foreach (var noticeFirst in new[] { true, false })
        {
            var (ledger, lease) = Leased();
            var expired = Assert.Single(ledger.Sweep(now).Expired);
            var notice = Ended(lease, AttemptOutcome.Completed);
            if (noticeFirst)
            {
                ledger.AttemptsEnded([notice], now);
            }

            ledger.SettleTakeBack(expired, new TakeBackReply.AlreadyEnded(notice), RetryIn, now);
            if (!noticeFirst)
            {
                ledger.AttemptsEnded([notice], now);
            }

            var metrics = ledger.Metrics(now);
            Assert.Equal((1L, 0L), (metrics.Completed, metrics.Processing));
            Assert.Equal(1, Assert.Single(metrics.Workers).Completed);
        }
    }

    [Fact]
    public void TheStoredJobSweepsNotice_WithNoLease_IsCounted_AndOnceWhenTheShardsOwnTakeBackMetTheSameEnd()
    {
        var now = T0.AddMinutes(2);
        var unleased = Create();
        var requeue = Entry(attempt: 2);
        var swept = new AttemptEnd(new AttemptRef(requeue.JobId, 1), AttemptOutcome.HandedBack, requeue, T0, now, NoLease: true);
        unleased.AttemptsEnded([swept], now);
        Assert.Equal(1L, unleased.Metrics(now).RequeuedHandedBack);
        Assert.Equal([requeue.JobId], unleased.List(JobStatus.Pending));

        var (ledger, lease) = Leased();
        var expired = Assert.Single(ledger.Sweep(now).Expired);
        var end = new AttemptEnd(new AttemptRef(lease.JobId, lease.Attempt), AttemptOutcome.HandedBack, Entry(lease.JobId, attempt: 2), T0, now);
        ledger.AttemptsEnded([end with { NoLease = true }], now);
        ledger.SettleTakeBack(expired, new TakeBackReply.AlreadyEnded(end), RetryIn, now);
        Assert.Equal(1L, ledger.Metrics(now).RequeuedHandedBack);
    }

    /// <summary>The job grain's answer that the attempt of <paramref name="lease"/> started, settled at <paramref name="at"/>:
    /// the lease reply leaves then.</summary>
    private static void HandOut(ShardLedger ledger, LeaseRecord lease, DateTimeOffset at)
    {
        var entry = Entry(lease.JobId, lease.Attempt);
        var (settled, _) = ledger.SettleStarts([lease], [entry], [Started(entry)], at);
        Assert.Single(settled.Leased);
        ledger.HandedOut([lease.JobId], at);
    }

    /// <summary>The shard runs from <paramref name="from"/> to <paramref name="to"/>: its pulse ticks every second, so
    /// that no gap between two heartbeats reads as a stall.</summary>
    private static void Runs(ShardLedger ledger, DateTimeOffset from, DateTimeOffset to)
    {
        for (var at = from; at <= to; at = at.AddSeconds(1))
        {
            ledger.NoteRunning(at);
        }
    }

    [Fact]
    public void Heartbeat_StopsAttemptsNoLongerLeasedToTheWorker_AndTakesOutLeasesItDoesNotKnowPastTheGrace()
    {
        var (ledger, lease) = Leased();
        HandOut(ledger, lease, T0);
        var stale = new AttemptRef(Guid.CreateVersion7(), 1);

        Runs(ledger, T0, T0.AddSeconds(5));
        var early = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, [stale]), T0.AddSeconds(5));
        Runs(ledger, T0.AddSeconds(5), T0.AddSeconds(11));
        var late = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, [stale]), T0.AddSeconds(11));

        Assert.Equal(stale, Assert.Single(early.Stop));
        Assert.Empty(early.Orphans);
        Assert.Equal([lease], late.Orphans);
        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public void Heartbeat_CountsTheOrphanGraceFromTheLeaseReply_SoASlowStartDoesNotUseItUp()
    {
        // A busy silo: the journal write and the job grains took 11 s, so the worker cannot name the lease before then.
        var (ledger, lease) = Leased();
        Runs(ledger, T0, T0.AddSeconds(10.5));
        var starting = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(10.5));
        HandOut(ledger, lease, T0.AddSeconds(11));

        Runs(ledger, T0.AddSeconds(11), T0.AddSeconds(20));
        var inTransit = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(20));
        Runs(ledger, T0.AddSeconds(20), T0.AddSeconds(22));
        var lost = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(22));

        Assert.Empty(starting.Orphans);
        Assert.Empty(inTransit.Orphans);
        Assert.Equal([lease], lost.Orphans);
    }

    [Fact]
    public void Heartbeat_SaysAWorkerIsBack_OnlyAfterItWasDeclaredLost()
    {
        var (ledger, _) = Leased();
        var first = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0);
        var lost = ledger.Sweep(T0.AddSeconds(11)).Lost;

        var back = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(12));

        Assert.False(first.Back);
        Assert.Equal([W1], lost);
        Assert.True(back.Back);
    }

    [Fact]
    public void Sweep_PromotesDueRetries_AndNamesSilentWorkers_WhoseLeasesAreTakenSeparately()
    {
        var (ledger, lease) = Leased(deadline: TimeSpan.FromHours(1));
        ledger.Enqueue([Entry(notBefore: T0.AddSeconds(5))], RequeueCause.Retry, T0);

        var (promoted, expired, lost) = ledger.Sweep(T0.AddSeconds(11));

        Assert.Equal(1, promoted);
        Assert.Empty(expired);
        Assert.Equal([W1], lost);
        Assert.Equal([lease], ledger.TakeLeasesOf(W1));
        Assert.Empty(ledger.List(JobStatus.Processing));
    }

    [Fact]
    public void NoteRunning_AfterAStall_CountsItAgainstNeitherTheWorkersNorTheLeases()
    {
        // The lease runs out at T0 + 5 s and W1, last heard at T0, is lost after T0 + 10 s; then the shard is not run from
        // T0 to T0 + 13 s. The limit is a tenth of the worker timeout (1 s), so 12 s are credited.
        var (ledger, lease) = Leased(deadline: TimeSpan.FromSeconds(5));
        Assert.Null(ledger.NoteRunning(T0));

        var stall = ledger.NoteRunning(T0.AddSeconds(13));
        var afterStall = ledger.Sweep(T0.AddSeconds(13));

        Assert.Equal(TimeSpan.FromSeconds(12), stall);
        Assert.Empty(afterStall.Expired);
        Assert.Empty(afterStall.Lost);
        var expired = Assert.Single(ledger.Sweep(T0.AddSeconds(17.5)).Expired);
        Assert.Equal((lease.JobId, lease.Attempt, lease.LeasedAt, T0.AddSeconds(17)), (expired.JobId, expired.Attempt, expired.LeasedAt, expired.ExpiresAt));
        Assert.Empty(ledger.Sweep(T0.AddSeconds(21.5)).Lost);
        Assert.Equal([W1], ledger.Sweep(T0.AddSeconds(22.5)).Lost);
    }

    [Fact]
    public void NoteRunning_AfterAStall_DuringAStart_StillHandsTheStartedAttemptOut()
    {
        // A silo stopped while a lease's start was under way: on wake-up the first tick postpones every lease before
        // the start's answer is settled. The attempt must still be handed out under its lease (seen in a 3-silo Redis
        // cluster, 7 s SIGSTOP: the starts under way were taken back as overtaken, and the postponed lease left in the
        // table kept the requeued jobs out of the index until the orphan check, 10 s later).
        var (ledger, entry, lease) = Starting();
        Assert.Null(ledger.NoteRunning(T0));

        Assert.Equal(TimeSpan.FromSeconds(6), ledger.NoteRunning(T0.AddSeconds(7)));
        var (settled, requeued) = ledger.SettleStarts([lease], [entry], [Started(entry)], T0.AddSeconds(7));

        Assert.Equal([entry.JobId], settled.Leased.Select(l => l.Job.JobId));
        Assert.Empty(settled.ToTakeBack);
        Assert.Equal(0, requeued);
        Assert.Equal([entry.JobId], ledger.List(JobStatus.Processing));
        Assert.Equal(T0 + entry.Deadline + TimeSpan.FromSeconds(6), ledger.Capture().Leases.Single().ExpiresAt);
    }

    [Fact]
    public void NoteRunning_AfterAStall_DoesNotCreditAWorkerHeardSince_BeyondNow()
    {
        // W1 is heard at T0 + 12.9 s, just after the shard woke from a stall and before its first tick at T0 + 13 s.
        var (ledger, _) = Leased(deadline: TimeSpan.FromHours(1));
        Assert.Null(ledger.NoteRunning(T0));
        ledger.Touch(W1, T0.AddSeconds(12.9));

        Assert.NotNull(ledger.NoteRunning(T0.AddSeconds(13)));

        // Silent from then on, it is lost 10 s after the wake, not 10 s after a last sign of life credited into the future.
        Assert.Empty(ledger.Sweep(T0.AddSeconds(22.9)).Lost);
        Assert.Equal([W1], ledger.Sweep(T0.AddSeconds(23.1)).Lost);
    }

    [Fact]
    public void NoteRunning_OnTime_CreditsNothing()
    {
        var (ledger, _) = Leased(deadline: TimeSpan.FromSeconds(5));

        var notes = Enumerable.Range(0, 12).Select(s => ledger.NoteRunning(T0.AddSeconds(s))).ToList();
        var (_, expired, lost) = ledger.Sweep(T0.AddSeconds(11));

        Assert.All(notes, Assert.Null);
        Assert.Single(expired);
        Assert.Equal([W1], lost);
    }

    [Fact]
    public void SettleStarts_ALeaseTakenBackDuringItsStart_AndPutBackUnanswered_IsNotHandedOut()
    {
        // The worker stops (or is declared lost) while its lease's start is under way; the take-back gets no answer, so
        // the lease goes back into the table (same worker, attempt, lease time). The start then answers Started.
        var (ledger, entry, lease) = Starting();
        var taken = Assert.Single(ledger.TakeLeasesOf(W1));
        ledger.SettleTakeBack(taken, reply: null, RetryIn, T0.AddSeconds(1));

        var (settled, _) = ledger.SettleStarts([lease], [entry], [Started(entry)], T0.AddSeconds(1));

        // Handing it out would run it under a lease due again in RetryIn, taken back then as past its deadline.
        Assert.Empty(settled.Leased);
        Assert.Single(settled.Overtaken);
    }

    [Fact]
    public void NoteRunning_AfterAStall_DoesNotUseUpTheOrphanGraceOfALeaseHandedOutJustBeforeIt()
    {
        // The reply of a lease handed out at T0 was still in the stalled silo until T0 + 13 s; the first heartbeat after
        // the wake does not name it yet.
        var (ledger, lease) = Leased(deadline: TimeSpan.FromHours(1));
        Assert.Null(ledger.NoteRunning(T0));
        HandOut(ledger, lease, T0);

        Assert.NotNull(ledger.NoteRunning(T0.AddSeconds(13)));
        var afterWake = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(13.5));
        Runs(ledger, T0.AddSeconds(14), T0.AddSeconds(22.5));
        var later = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(22.5));

        Assert.Empty(afterWake.Orphans);
        Assert.Equal([lease.JobId], later.Orphans.Select(o => o.JobId));
    }

    [Fact]
    public void Heartbeat_AfterAStall_BeforeTheFirstTick_DoesNotUseUpTheOrphanGraceOfALeaseHandedOutJustBeforeIt()
    {
        // The reply of a lease handed out at T0 was still in the stalled silo until T0 + 13 s; a heartbeat the worker sent
        // meanwhile is read before the shard's first tick after the wake, and does not name the lease yet.
        var (ledger, lease) = Leased(deadline: TimeSpan.FromHours(1));
        Runs(ledger, T0.AddSeconds(-3), T0);
        HandOut(ledger, lease, T0);

        var afterWake = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(13));
        Runs(ledger, T0.AddSeconds(13), T0.AddSeconds(22.5));
        var later = ledger.Heartbeat(new WorkerHeartbeat(W1, 4, []), T0.AddSeconds(22.5));

        Assert.Equal(TimeSpan.FromSeconds(12), afterWake.Stall);
        Assert.Empty(afterWake.Orphans);
        Assert.Null(later.Stall);
        Assert.Equal([lease.JobId], later.Orphans.Select(o => o.JobId));
    }

    [Fact]
    public void StopWorker_ForgetsItAndReturnsItsLeases()
    {
        var (ledger, lease) = Leased();

        Assert.Equal([lease], ledger.StopWorker(W1));
        Assert.Empty(ledger.Metrics(T0).Workers);
        Assert.Equal(0, ledger.Count);
    }

    [Theory]
    [InlineData(30, 30)] // the next lease expiry
    [InlineData(0, 0.1)] // due now: the soonest a reminder can fire
    [InlineData(600, 60)] // later than the periodic reminder, which comes first anyway
    public void ReminderDue_IsTheNextLeaseExpiry_ClampedBetween100msAndThePeriod(double expiresInSeconds, double dueSeconds)
    {
        var (ledger, _) = Leased(deadline: TimeSpan.FromSeconds(expiresInSeconds));

        Assert.Equal(TimeSpan.FromSeconds(dueSeconds), ledger.ReminderDue(T0));
    }

    [Fact]
    public void ReminderDue_IsTheNextDelayedRetry_OrThePeriodWhenNothingIsDue()
    {
        var ledger = Create();
        Assert.Equal(Options.ReminderPeriod, ledger.ReminderDue(T0));

        ledger.Enqueue([Entry(notBefore: T0.AddSeconds(20))], RequeueCause.Retry, T0);

        Assert.Equal(TimeSpan.FromSeconds(20), ledger.ReminderDue(T0));
    }

    [Fact]
    public void CaptureThenRestore_KeepsTheIndexTheLeasesAndTheCounters_AndGivesLeaseHoldersAFreshTimeout()
    {
        var (ledger, lease) = Leased();
        var queued = Entry();
        ledger.Enqueue([queued], cause: null, T0);

        var restored = Create();
        restored.Restore(ledger.Capture(), T0.AddMinutes(10));

        Assert.Equal([queued.JobId], restored.List(JobStatus.Pending));
        Assert.Equal([lease.JobId], restored.List(JobStatus.Processing));
        Assert.Empty(restored.Sweep(T0.AddMinutes(10).AddSeconds(5)).Lost);
        Assert.Equal(2, restored.Metrics(T0).Submitted);
    }
}
