using System.Text;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class JobLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly QueueOptions Options = new() { DefaultRetryBackoff = TimeSpan.Zero };

    private static JobState CreateJob(int retries = 2, TimeSpan? backoff = null, int priority = 4) =>
        JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("TRANSCODE_VIDEO", Encoding.UTF8.GetBytes("{}"), priority, retries, TimeSpan.FromSeconds(30), backoff), Options, 0, T0);

    private static JobState CreateRunningJob(int retries = 2, TimeSpan? backoff = null)
    {
        var job = CreateJob(retries, backoff);
        Assert.NotNull(Start(job, "w1", T0.AddSeconds(1)));
        return job;
    }

    /// <summary>Starts the attempt the shard would issue: the one the job's entry names.</summary>
    private static LeasedJob? Start(JobState job, string worker, DateTimeOffset now) =>
        (JobLifecycle.Start(job, worker, job.ToEntry().Attempt, now).Result as StartResult.Started)?.Job;

    private static AttemptEnd NoticeOf(JobTransition t) => Assert.IsType<ScheduleEffect.AttemptEnded>(t.Effect).Notice;

    private static QueueEntry? RequeueOf(JobTransition t) => NoticeOf(t).Requeue;

    private static QueueEntry? EntryOf(TakeBackReply reply) => reply switch
    {
        TakeBackReply.Ended ended => ended.Notice.Requeue,
        TakeBackReply.Pending pending => pending.Entry,
        _ => null,
    };

    [Fact]
    public void Create_AppliesDefaults_ForOmittedValues()
    {
        var job = JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("T", []), new QueueOptions(), 0, T0);

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(5, job.Priority);
        Assert.Equal(3, job.Retries);
        Assert.Equal(3, job.RetriesLeft);
        Assert.Equal(TimeSpan.FromSeconds(300), job.Deadline);
    }

    [Theory]
    [InlineData("", null, null, null, "type is empty")]
    [InlineData("T", 4294967296L, null, null, "Priority 4294967296 is out of range")]
    [InlineData("T", -1L, null, null, "Priority -1 is out of range")]
    [InlineData("T", null, -1, null, "Retries -1 is negative")]
    [InlineData("T", null, 101, null, "Retries 101 is above the limit of 100")]
    [InlineData("T", null, null, 0.0, "must be greater than zero")]
    [InlineData("T", null, null, -5.0, "must be greater than zero")]
    [InlineData("T", null, null, 86401.0, "above the limit of 86400 s")]
    [InlineData("HAS SPACE", null, null, null, "white space")]
    [InlineData("EVIL\u202ETXT", null, null, null, "The job type 'EVIL\\u202ETXT' contains white space or control characters.")]
    [InlineData("ZERO\u200BWIDTH", null, null, null, "white space or control")]
    public void Create_RejectsOutOfRangeValues_WithAClearMessage(string type, long? priority, int? retries, double? deadlineSeconds, string expected)
    {
        var submission = new JobSubmission(type, [], priority, retries, deadlineSeconds is { } s ? TimeSpan.FromSeconds(s) : null);

        var error = Assert.Throws<InvalidJobException>(() => JobLifecycle.Create(Guid.CreateVersion7(), submission, new QueueOptions(), 0, T0));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RejectsAPayloadOverTheLimit()
    {
        var options = new QueueOptions { MaxPayloadBytes = 10 };

        var error = Assert.Throws<InvalidJobException>(() =>
            JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("T", new byte[11]), options, 0, T0));

        Assert.Contains("11 bytes; the limit is 10 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_OpensAttemptOne_AsTheFencingToken()
    {
        var job = CreateJob();

        var leased = Start(job, "w1", T0.AddSeconds(1));

        Assert.NotNull(leased);
        Assert.Equal(1, leased.Attempt);
        Assert.Equal(JobStatus.Processing, job.Status);
        Assert.Equal(AttemptOutcome.Running, job.LastAttempt!.Outcome);
        Assert.Null(Start(job, "w2", T0.AddSeconds(2)));
    }

    [Fact]
    public void Complete_WithTheCurrentAttempt_CompletesTheJob_AndTellsTheSchedule()
    {
        var job = CreateRunningJob();

        var t = JobLifecycle.Complete(job, 1, Encoding.UTF8.GetBytes("ok"), Options, T0.AddSeconds(2));

        Assert.Equal(ReportResult.Accepted, t.Reply.Result);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal("ok", Encoding.UTF8.GetString(job.Result!));
        Assert.Equal(T0.AddSeconds(2), job.FinishedAt);
        Assert.IsType<ScheduleEffect.AttemptEnded>(t.Effect);
        Assert.Null(RequeueOf(t));
    }

    [Fact]
    public void Complete_WithAStaleAttempt_IsRefused_AndChangesNothing()
    {
        var job = CreateRunningJob();
        JobLifecycle.TakeBack(job, 1, null, RequeueCause.Deadline, T0.AddSeconds(31));
        Start(job, "w2", T0.AddSeconds(32));

        var t = JobLifecycle.Complete(job, 1, null, Options, T0.AddSeconds(33));

        Assert.Equal(ReportResult.StaleAttempt, t.Reply.Result);
        Assert.False(t.Changed);
        Assert.Equal(JobStatus.Processing, job.Status);
        Assert.Equal(2, job.CurrentAttempt);
        Assert.Equal(AttemptOutcome.Running, job.LastAttempt!.Outcome);
    }

    [Fact]
    public void Complete_Twice_IsADuplicate_NotASecondCompletion()
    {
        var job = CreateRunningJob();
        JobLifecycle.Complete(job, 1, null, Options, T0.AddSeconds(2));

        var again = JobLifecycle.Complete(job, 1, null, Options, T0.AddSeconds(3));

        Assert.Equal(ReportResult.Duplicate, again.Reply.Result);
        Assert.False(again.Changed);
        Assert.Single(job.Attempts, a => a.Outcome == AttemptOutcome.Completed);
    }

    [Fact]
    public void Fail_WithRetriesLeft_RequeuesTheJob_KeepingPriorityAndId()
    {
        var job = CreateRunningJob(retries: 2);

        var t = JobLifecycle.Fail(job, 1, "boom", Options, T0.AddSeconds(2), new Random(1));

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(1, job.RetriesLeft);
        Assert.Equal("boom", job.Error);
        var requeue = Assert.IsType<QueueEntry>(RequeueOf(t));
        Assert.Equal((job.Id, 4, 2), (requeue.JobId, requeue.Priority, requeue.Attempt));
        Assert.Null(requeue.NotBefore);
    }

    [Fact]
    public void Fail_WithBackoff_DelaysTheRetry()
    {
        var job = CreateRunningJob(retries: 2, backoff: TimeSpan.FromSeconds(10));

        var t = JobLifecycle.Fail(job, 1, "boom", Options, T0.AddSeconds(2), new Random(1));

        var notBefore = Assert.IsType<DateTimeOffset>(RequeueOf(t)!.NotBefore);
        Assert.InRange(notBefore - T0.AddSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Fail_WithNoRetriesLeft_FailsTheJob_KeepingTheLastErrorAndEveryAttempt()
    {
        var job = CreateRunningJob(retries: 1);
        JobLifecycle.Fail(job, 1, "first", Options, T0.AddSeconds(2), new Random(1));
        Start(job, "w2", T0.AddSeconds(3));

        var t = JobLifecycle.Fail(job, 2, "second", Options, T0.AddSeconds(4), new Random(1));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("second", job.Error);
        Assert.Equal(["first", "second"], job.Attempts.Select(a => a.Error));
        Assert.Null(RequeueOf(t));
    }

    [Fact]
    public void Backoff_GrowsExponentially_WithJitter_AndIsCapped()
    {
        var random = new Random(42);
        var b = TimeSpan.FromSeconds(1);
        var cap = TimeSpan.FromSeconds(5);

        Assert.InRange(JobLifecycle.Backoff(b, 1, cap, random), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(JobLifecycle.Backoff(b, 2, cap, random), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(JobLifecycle.Backoff(b, 3, cap, random), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.InRange(JobLifecycle.Backoff(b, 10, cap, random), TimeSpan.FromSeconds(2.5), cap);
        Assert.Equal(TimeSpan.Zero, JobLifecycle.Backoff(TimeSpan.Zero, 3, cap, random));
    }

    [Fact]
    public void HandBack_RequeuesAtOnce_WithoutUsingARetry()
    {
        var job = CreateRunningJob(retries: 2, backoff: TimeSpan.FromSeconds(10));

        var enqueuedAt = job.EnqueuedAt;

        var t = JobLifecycle.HandBack(job, 1, T0.AddSeconds(2));

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(2, job.RetriesLeft);
        Assert.Equal(AttemptOutcome.HandedBack, job.LastAttempt!.Outcome);
        Assert.Null(RequeueOf(t)!.NotBefore);
        // It keeps its place in line: a prefetch handed back cannot put it behind jobs enqueued after it.
        Assert.Equal(enqueuedAt, RequeueOf(t)!.EnqueuedAt);
    }

    [Fact]
    public void TakeBack_OfALeaseHandedBack_KeepsTheJobsPlaceInLine()
    {
        var job = CreateRunningJob(retries: 1);
        var enqueuedAt = job.EnqueuedAt;

        var (_, changed) = JobLifecycle.TakeBack(job, 1, null, RequeueCause.HandedBack, T0.AddSeconds(5));

        Assert.True(changed);
        Assert.Equal((JobStatus.Pending, 1, enqueuedAt), (job.Status, job.RetriesLeft, job.ToEntry().EnqueuedAt));
    }

    [Theory]
    [InlineData(RequeueCause.Deadline, AttemptOutcome.DeadlineExceeded, "deadline exceeded")]
    [InlineData(RequeueCause.WorkerLost, AttemptOutcome.WorkerLost, "worker lost")]
    public void TakeBack_CountsAsAFailedAttempt_AndRequeuesWhileRetriesLast(RequeueCause cause, AttemptOutcome outcome, string error)
    {
        var job = CreateRunningJob(retries: 1);

        var (reply, changed) = JobLifecycle.TakeBack(job, 1, null, cause, T0.AddSeconds(31));

        Assert.True(changed);
        Assert.IsType<TakeBackReply.Ended>(reply);
        Assert.NotNull(EntryOf(reply));
        Assert.Equal(0, job.RetriesLeft);
        Assert.Equal(outcome, job.LastAttempt!.Outcome);
        Assert.Equal(error, job.LastAttempt.Error);

        Start(job, "w2", T0.AddSeconds(32));
        var (last, _) = JobLifecycle.TakeBack(job, 2, null, cause, T0.AddSeconds(63));

        Assert.Null(EntryOf(last));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(error, job.Error);
    }

    [Fact]
    public void TakeBack_OfAnAttemptThatAlreadyCompleted_DoesNothing()
    {
        var job = CreateRunningJob();
        JobLifecycle.Complete(job, 1, null, Options, T0.AddSeconds(2));

        var (reply, changed) = JobLifecycle.TakeBack(job, 1, null, RequeueCause.Deadline, T0.AddSeconds(31));

        Assert.False(changed);
        Assert.IsNotType<TakeBackReply.Ended>(reply);
        Assert.Null(EntryOf(reply));
        Assert.Equal(JobStatus.Completed, job.Status);
    }

    [Fact]
    public void TakeBack_OfALeaseWhoseAttemptNumberALaterLeaseStarted_DoesNothing()
    {
        // Lease A of attempt 1 at T0+1 s was taken back before its start answered, so attempt 1 was queued again and
        // lease B started it at T0+12 s. A's late take-back must not end B's attempt.
        var job = CreateJob();
        var leasedByA = T0.AddSeconds(1);
        var leasedByB = T0.AddSeconds(12);
        Assert.NotNull(Start(job, "w2", leasedByB));

        var (reply, changed) = JobLifecycle.TakeBack(job, 1, leasedByA, RequeueCause.HandedBack, T0.AddSeconds(13));
        var (own, ownChanged) = JobLifecycle.TakeBack(job, 1, leasedByB, RequeueCause.Deadline, T0.AddSeconds(60));

        Assert.False(changed);
        Assert.IsType<TakeBackReply.MovedOn>(reply);
        Assert.True(ownChanged);
        Assert.IsType<TakeBackReply.Ended>(own);
    }

    [Fact]
    public void TakeBack_OfAPendingJobWhoseRequeueNoticeWasLost_ReturnsTheEntryAgain_WithoutChangingIt()
    {
        var job = CreateRunningJob();
        JobLifecycle.Fail(job, 1, "boom", Options, T0.AddSeconds(2), new Random(1));

        var (reply, changed) = JobLifecycle.TakeBack(job, 1, null, RequeueCause.Deadline, T0.AddSeconds(31));

        Assert.False(changed);
        Assert.IsNotType<TakeBackReply.Ended>(reply);
        Assert.Equal(job.Id, EntryOf(reply)!.JobId);
        Assert.Equal(1, job.RetriesLeft);
    }

    [Fact]
    public void TakeBack_OfALeaseWhoseAttemptEndedBefore_ReturnsTheNoticeItsEndProduced_WithoutChangingTheJob()
    {
        var completed = CreateRunningJob();
        var completion = NoticeOf(JobLifecycle.Complete(completed, 1, null, Options, T0.AddSeconds(2)));
        var retried = CreateRunningJob();
        var retry = NoticeOf(JobLifecycle.Fail(retried, 1, "boom", Options, T0.AddSeconds(2), new Random(1)));
        var buried = CreateRunningJob();
        JobLifecycle.Bury(buried, 1, null, "set aside", T0.AddSeconds(2));

        var (reply, changed) = JobLifecycle.TakeBack(completed, 1, T0.AddSeconds(1), RequeueCause.HandedBack, T0.AddSeconds(30));
        var retryReply = JobLifecycle.TakeBack(retried, 1, T0.AddSeconds(1), RequeueCause.Deadline, T0.AddSeconds(30)).Reply;
        var buryReply = JobLifecycle.TakeBack(buried, 1, T0.AddSeconds(1), RequeueCause.Deadline, T0.AddSeconds(30)).Reply;

        Assert.False(changed);
        Assert.Equal(completion, Assert.IsType<TakeBackReply.AlreadyEnded>(reply).Notice);
        Assert.Equal(retry, Assert.IsType<TakeBackReply.AlreadyEnded>(retryReply).Notice);
        Assert.Equal(buried.ToEntry(), Assert.IsType<TakeBackReply.AlreadyEnded>(buryReply).Notice.Bury);
        Assert.Equal(JobStatus.Completed, completed.Status);

        // Another lease of the same number (its time differs), or the stored-job sweep (no lease): nothing to settle.
        Assert.IsType<TakeBackReply.MovedOn>(JobLifecycle.TakeBack(completed, 1, T0.AddSeconds(9), RequeueCause.HandedBack, T0.AddSeconds(30)).Reply);
        Assert.IsType<TakeBackReply.MovedOn>(JobLifecycle.TakeBack(completed, 1, null, RequeueCause.HandedBack, T0.AddSeconds(30)).Reply);
    }

    [Fact]
    public void Cancel_OfAPendingJob_CancelsIt_AndRemovesItFromTheIndex()
    {
        var job = CreateJob();

        var t = JobLifecycle.Cancel(job, T0.AddSeconds(1));

        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.IsType<ScheduleEffect.RemovePending>(t.Effect);
    }

    [Fact]
    public void Cancel_OfAProcessingJob_EndsTheAttempt_AndFencesItsLateReport()
    {
        var job = CreateRunningJob();

        var t = JobLifecycle.Cancel(job, T0.AddSeconds(2));
        var late = JobLifecycle.Complete(job, 1, null, Options, T0.AddSeconds(3));

        Assert.IsType<ScheduleEffect.AttemptEnded>(t.Effect);
        Assert.Equal(AttemptOutcome.Cancelled, NoticeOf(t).Outcome);
        Assert.Equal(ReportResult.StaleAttempt, late.Reply.Result);
        Assert.Equal(JobStatus.Cancelled, job.Status);
    }

    [Fact]
    public void Cancel_OfAFinishedJob_IsRefused()
    {
        var job = CreateRunningJob();
        JobLifecycle.Complete(job, 1, null, Options, T0.AddSeconds(2));

        var t = JobLifecycle.Cancel(job, T0.AddSeconds(3));

        Assert.Equal(ReportResult.WrongState, t.Reply.Result);
        Assert.Contains("already COMPLETED", t.Reply.Message, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Completed, job.Status);
    }

    [Fact]
    public void Requeue_OfAFailedJob_RestoresItsRetries()
    {
        var job = CreateRunningJob(retries: 0);
        JobLifecycle.Fail(job, 1, "boom", Options, T0.AddSeconds(2), new Random(1));

        var t = JobLifecycle.Requeue(job, T0.AddSeconds(3));

        Assert.Equal(ReportResult.Accepted, t.Reply.Result);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(0, job.RetriesLeft);
        Assert.IsType<ScheduleEffect.Enqueue>(t.Effect);
        Assert.Null(job.FinishedAt);
    }

    [Fact]
    public void Requeue_OfACompletedJob_IsRefused()
    {
        var job = CreateRunningJob();
        JobLifecycle.Complete(job, 1, null, Options, T0.AddSeconds(2));

        Assert.Equal(ReportResult.WrongState, JobLifecycle.Requeue(job, T0.AddSeconds(3)).Reply.Result);
    }

    [Fact]
    public void Complete_WithAResultOverTheLimit_FailsTheAttempt()
    {
        var job = CreateRunningJob(retries: 0);

        var t = JobLifecycle.Complete(job, 1, new byte[Options.MaxResultBytes + 1], Options, T0.AddSeconds(2));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("limit", t.Reply.Message + job.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_RecordsTheAttemptTheShardIssued_AndRefusesAnEntryOlderThanTheLastAttempt()
    {
        var job = CreateJob();
        var entry = job.ToEntry();

        var (started, changed) = JobLifecycle.Start(job, "w1", entry.Attempt, T0.AddSeconds(1));
        var (again, _) = JobLifecycle.Start(job, "w2", entry.Attempt, T0.AddSeconds(2));

        Assert.True(changed);
        Assert.Equal((1, T0.AddSeconds(1)), (Assert.IsType<StartResult.Started>(started).Job.Attempt, job.LastAttempt!.StartedAt));
        Assert.Equal(JobStatus.Processing, Assert.IsType<StartResult.NotPending>(again).Status);

        JobLifecycle.HandBack(job, 1, T0.AddSeconds(3));
        var (stale, staleChanged) = JobLifecycle.Start(job, "w2", entry.Attempt, T0.AddSeconds(4));

        Assert.False(staleChanged);
        Assert.Equal(2, Assert.IsType<StartResult.Renumbered>(stale).Entry.Attempt);
        Assert.Equal(JobStatus.Pending, job.Status);
    }

    [Fact]
    public void TakeBack_OfAnAttemptThatNeverStarted_ReturnsTheEntry_WithoutChangingTheJob()
    {
        // The shard's start call failed before the job grain saw it: the lease names attempt 1, the job has none.
        var job = CreateJob();

        var (reply, changed) = JobLifecycle.TakeBack(job, 1, null, RequeueCause.HandedBack, T0.AddSeconds(5));

        Assert.False(changed);
        Assert.Equal((job.Id, 1), (Assert.IsType<TakeBackReply.Pending>(reply).Entry.JobId, job.ToEntry().Attempt));
        Assert.Empty(job.Attempts);
    }

    [Fact]
    public void Cancel_OfACancelledJob_IsADuplicate_AndOnlyTheFirstCancelCounts()
    {
        var job = CreateRunningJob();

        var first = JobLifecycle.Cancel(job, T0.AddSeconds(2));
        var again = JobLifecycle.Cancel(job, T0.AddSeconds(3));
        JobLifecycle.Requeue(job, T0.AddSeconds(4));
        var later = JobLifecycle.Cancel(job, T0.AddSeconds(5));

        Assert.True(NoticeOf(first).FirstCancel);
        Assert.Equal((ReportResult.Duplicate, false), (again.Reply.Result, again.Changed));
        Assert.IsType<ScheduleEffect.NoChange>(again.Effect);
        Assert.False(Assert.IsType<ScheduleEffect.RemovePending>(later.Effect).FirstCancel);
    }

    [Fact]
    public void Requeue_OfAPendingJob_IsADuplicate_ThatStillMakesSureItIsQueued()
    {
        var job = CreateJob();

        var t = JobLifecycle.Requeue(job, T0.AddSeconds(1));

        Assert.Equal((ReportResult.Duplicate, false), (t.Reply.Result, t.Changed));
        Assert.Equal(job.Id, Assert.IsType<ScheduleEffect.Enqueue>(t.Effect).Entry.JobId);
    }

    [Fact]
    public void Release_RequeuesWithTheNewPriority_WithoutUsingARetry_AndWaitsOutItsDelay()
    {
        var job = CreateRunningJob(retries: 2);

        var t = JobLifecycle.Release(job, 1, uint.MaxValue, TimeSpan.FromSeconds(30), T0.AddSeconds(2));

        Assert.Equal(ReportResult.Accepted, t.Reply.Result);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(2, job.RetriesLeft);
        Assert.Equal(uint.MaxValue, job.Priority);
        Assert.Equal(AttemptOutcome.Released, job.LastAttempt!.Outcome);
        Assert.Equal(uint.MaxValue, RequeueOf(t)!.Priority);
        Assert.Equal(T0.AddSeconds(32), RequeueOf(t)!.NotBefore);
        Assert.Equal(ReportResult.Duplicate, JobLifecycle.Release(job, 1, 0, TimeSpan.Zero, T0.AddSeconds(3)).Reply.Result);
        Assert.Equal(uint.MaxValue, job.Priority);
    }

    [Fact]
    public void Release_OfAStaleAttempt_IsRefused_AndChangesNothing()
    {
        var job = CreateRunningJob(retries: 2);

        var t = JobLifecycle.Release(job, 2, 7, TimeSpan.Zero, T0.AddSeconds(2));

        Assert.Equal(ReportResult.StaleAttempt, t.Reply.Result);
        Assert.False(t.Changed);
        Assert.Equal(JobStatus.Processing, job.Status);
    }

    [Fact]
    public void Bury_SetsTheJobAside_WithItsReasonAndNewPriority_AndTheShardKeepsItsEntry()
    {
        var job = CreateRunningJob(retries: 2);

        var t = JobLifecycle.Bury(job, 1, 4_000_000_000, "needs a human", T0.AddSeconds(2));

        Assert.Equal(ReportResult.Accepted, t.Reply.Result);
        Assert.Equal((JobStatus.Buried, 4_000_000_000L, "needs a human", 2), (job.Status, job.Priority, job.Error, job.RetriesLeft));
        Assert.Equal(AttemptOutcome.Buried, job.LastAttempt!.Outcome);
        var notice = NoticeOf(t);
        Assert.Null(notice.Requeue);
        Assert.Equal((job.Id, 4_000_000_000L, 2), (notice.Bury!.JobId, notice.Bury.Priority, notice.Bury.Attempt));
        Assert.False(job.Status.IsTerminal());
        Assert.Equal(ReportResult.Duplicate, JobLifecycle.Bury(job, 1, null, null, T0.AddSeconds(3)).Reply.Result);
    }

    [Fact]
    public void ADelayedJob_ShowsDelayedUntilDue_ThenPending_WithTheDelayItWasSubmittedWith()
    {
        var job = JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("TEST", [], Delay: TimeSpan.FromSeconds(10)), Options, 0, T0);

        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(JobStatus.Delayed, job.ToView(T0.AddSeconds(9)).Status);
        Assert.Equal(JobStatus.Pending, job.ToView(T0.AddSeconds(10)).Status);
        Assert.Equal(TimeSpan.FromSeconds(10), job.ToView(T0.AddSeconds(10)).Delay);
        Assert.Equal(JobStatus.Pending, CreateJob().ToView(T0).Status);
    }

    [Fact]
    public void Release_WithADelay_ShowsDelayed_AndKeepsTheDelayForStatsJob()
    {
        var job = CreateRunningJob(retries: 2);

        JobLifecycle.Release(job, 1, 5, TimeSpan.FromSeconds(30), T0.AddSeconds(2));

        Assert.Equal((JobStatus.Delayed, TimeSpan.FromSeconds(30)), (job.ToView(T0.AddSeconds(3)).Status, job.ToView(T0.AddSeconds(3)).Delay));
        Assert.Equal(JobStatus.Pending, job.ToView(T0.AddSeconds(32)).Status);
    }

    [Fact]
    public void Kick_OfADelayedJob_MakesItDueNow_AndCountsTheKick_ButNotOfOneAlreadyDue()
    {
        var job = JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("TEST", [], Delay: TimeSpan.FromSeconds(10)), Options, 0, T0);

        var t = JobLifecycle.Kick(job, T0.AddSeconds(1));

        Assert.Equal((ReportResult.Accepted, true), (t.Reply.Result, t.Changed));
        var entry = Assert.IsType<ScheduleEffect.Enqueue>(t.Effect).Entry;
        Assert.Equal((job.Id, null, T0.AddSeconds(1)), (entry.JobId, entry.NotBefore, entry.EnqueuedAt));
        Assert.Equal((JobStatus.Pending, 1), (job.ToView(T0.AddSeconds(1)).Status, job.DelayedKicks));
        Assert.Equal(ReportResult.WrongState, JobLifecycle.Kick(job, T0.AddSeconds(2)).Reply.Result);
    }

    [Fact]
    public void Requeue_OfADelayedJob_IsADuplicate_ThatSaysItIsDelayed()
    {
        var job = JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("TEST", [], Delay: TimeSpan.FromSeconds(10)), Options, 0, T0);

        var t = JobLifecycle.Requeue(job, T0.AddSeconds(1));

        Assert.Equal((ReportResult.Duplicate, JobStatus.Delayed), (t.Reply.Result, t.Reply.Status));
        Assert.EndsWith("is already DELAYED", t.Reply.Message, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Pending, JobLifecycle.Requeue(job, T0.AddSeconds(10)).Reply.Status);
    }

    [Fact]
    public void Kick_SendsABuriedJobBackToPending_AndRefusesAnyOther()
    {
        var job = CreateRunningJob(retries: 2);
        Assert.Equal(ReportResult.WrongState, JobLifecycle.Kick(job, T0.AddSeconds(1)).Reply.Result);
        JobLifecycle.Bury(job, 1, null, null, T0.AddSeconds(2));

        var t = JobLifecycle.Kick(job, T0.AddSeconds(3));

        Assert.Equal(ReportResult.Accepted, t.Reply.Result);
        Assert.Equal(JobStatus.Pending, job.Status);
        Assert.Equal(RequeueCause.Manual, Assert.IsType<ScheduleEffect.Enqueue>(t.Effect).Cause);
        Assert.Equal(ReportResult.WrongState, JobLifecycle.Kick(job, T0.AddSeconds(4)).Reply.Result);
    }

    [Fact]
    public void ABuriedJob_CanBeCancelled_WhichDropsItFromItsShard()
    {
        var job = CreateRunningJob(retries: 2);
        JobLifecycle.Bury(job, 1, null, null, T0.AddSeconds(2));

        var t = JobLifecycle.CancelPending(job, T0.AddSeconds(3));

        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Equal(job.Id, Assert.IsType<ScheduleEffect.RemovePending>(t.Effect).JobId);
    }

    [Fact]
    public void CancelPending_CancelsAPendingJob_ButNotARunningOne()
    {
        var running = CreateRunningJob(retries: 2);
        var refused = JobLifecycle.CancelPending(running, T0.AddSeconds(2));
        Assert.Equal(ReportResult.WrongState, refused.Reply.Result);
        Assert.False(refused.Changed);
        Assert.Equal(JobStatus.Processing, running.Status);

        JobLifecycle.HandBack(running, 1, T0.AddSeconds(3));
        var cancelled = JobLifecycle.CancelPending(running, T0.AddSeconds(4));
        Assert.Equal(ReportResult.Accepted, cancelled.Reply.Result);
        Assert.Equal(JobStatus.Cancelled, running.Status);
        Assert.IsType<ScheduleEffect.RemovePending>(cancelled.Effect);
    }
}
