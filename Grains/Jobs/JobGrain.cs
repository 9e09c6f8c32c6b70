using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Storage;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;
using OrleansQueue.Storage;

namespace OrleansQueue.Jobs;

/// <summary>
/// One job. It applies <see cref="JobLifecycle"/>'s rules, writes the state before it answers, and then tells
/// its schedule shard. If telling the shard fails, the shard's lease (which outlives the notice) runs out and the
/// take-back reconciles with this grain's state, so a lost notice delays a job but never loses it.
/// <para>Placed on the silo of the call that activates it: a submit's on the silo whose submit grain stores it, and, as
/// a queued job's grain is not kept active, a lease's on its shard's silo (<see cref="StartGrain"/> runs there), so the
/// start, the shard's notices and most of a job's calls stay on one silo.</para>
/// </summary>
[PreferLocalPlacement]
public sealed partial class JobGrain(
    [FromKeyedServices(QueueStorage.Name)] IGrainStorage storage,
    IOptions<QueueOptions> options,
    TimeProvider time,
    QueueInstruments instruments,
    FinishedJobs finished,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private readonly QueueOptions _options = options.Value;
    private StoredState<JobState> _state = null!;

    private JobState Job => _state.State;

    private IScheduleGrain Schedule => GrainFactory.Grain<IScheduleGrain>(Job.Shard);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new StoredState<JobState>(storage, "job", this.GetGrainId(), instruments);
        return _state.ReadAsync();
    }

    public async Task<StoredJob> Store(JobSubmission submission, Guid token, DateTimeOffset submittedAt)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (Job.Exists)
        {
            if (Job.Status != JobStatus.Pending)
            {
                return new StoredJob(null, Job.ToView(time.GetUtcNow()));
            }

            // A resent submit: from now on only this call may undo the store, so an earlier call whose enqueue
            // failed late cannot discard a job this one queued.
            if (Job.StoreToken != token)
            {
                Job.StoreToken = token;
                await WriteAsync(_state.WriteAsync());
            }

            return new StoredJob(Job.ToEntry(), Job.ToView(time.GetUtcNow()));
        }

        var id = this.GetPrimaryKey();
        var shard = ScheduleShards.Of(id, _options.Shards);
        _state.State = JobLifecycle.Create(id, submission, _options, shard, submittedAt);
        Job.StoreToken = token;
        await WriteAsync(_state.WriteAsync());
        LogSubmitted(id, Job.Type, Job.Priority);

        // A queued job costs only its stored state until a worker leases it: with a million queued, activations would
        // cost gigabytes, while activating at lease time costs no more than keeping them (measured in the benchmark).
        DeactivateOnIdle();

        return new StoredJob(Job.ToEntry(), Job.ToView(time.GetUtcNow()));
    }

    public async Task Discard(Guid token)
    {
        // Had the enqueue landed after all, the shard drops the entry at lease time: StartAttempt finds no job.
        if (Job.Exists && Job.Status == JobStatus.Pending && Job.Attempts.Count == 0 && Job.StoreToken == token)
        {
            _state.State = new JobState();
            await WriteAsync(_state.ClearAsync());
            DeactivateOnIdle();
        }
    }

    public async Task<bool> Forget(DateTimeOffset finishedAt)
    {
        var forget = Job.Exists && Job.Status.IsTerminal() && Job.FinishedAt == finishedAt;
        if (forget)
        {
            var id = Job.Id;
            _state.State = new JobState();
            await WriteAsync(_state.ClearAsync());
            LogForgotten(id, finishedAt);
        }

        // A job that moved on since (requeued and running, say) keeps its activation.
        DeactivateIfFinished();
        return forget;
    }

    public Task<JobView?> GetStatus() => Task.FromResult(Job.Exists ? Job.ToView(time.GetUtcNow()) : null);

    public Task<byte[]?> GetPayload() => Task.FromResult(Job.Exists ? Job.Payload : null);

    public async Task<StartResult> StartAttempt(string worker, int attempt, DateTimeOffset startedAt)
    {
        var (result, changed) = JobLifecycle.Start(Job, worker, attempt, startedAt);
        if (changed)
        {
            await WriteAsync(_state.WriteAsync());
        }

        return result;
    }

    public async Task<EndReply> EndAttempt(AttemptReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var transition = await Change(report.Attempt, EndCommand(report));

        // The attempt-end notice goes back to the caller, which sends a batch's notices to each shard in one call.
        var notice = (transition.Effect as ScheduleEffect.AttemptEnded)?.Notice;
        DeactivateIfFinished();
        return new EndReply(transition.Reply, notice, Job.Shard);
    }

    public async Task<ReportReply> ReportProgress(int attempt, int percent, string? message) =>
        (await Change(attempt, now => JobLifecycle.ReportProgress(Job, attempt, percent, message, now))).Reply;

    public Task<ReportReply> Cancel() => Command(now => JobLifecycle.Cancel(Job, now));

    public Task<ReportReply> Requeue() => Command(now => JobLifecycle.Requeue(Job, now));

    public Task<ReportReply> Kick() => Command(now => JobLifecycle.Kick(Job, now));

    public Task<ReportReply> CancelPending() => Command(now => JobLifecycle.CancelPending(Job, now));

    public async Task<TakeBackReply> TakeBack(int attempt, DateTimeOffset? leasedAt, RequeueCause cause)
    {
        var (reply, changed) = JobLifecycle.TakeBack(Job, attempt, leasedAt, cause, time.GetUtcNow());
        if (changed)
        {
            await WriteAsync(_state.WriteAsync());
            RememberIfFinished();
            LogTakenBack(Job.Id, attempt, cause, Job.Status, Job.RetriesLeft);
            DeactivateIfFinished();
        }

        return reply;
    }

    /// <summary>
    /// Writes (or clears) the state the rules just changed in memory. A failed write must not leave that change behind:
    /// this activation would answer from a state storage never held (a resent report judged a duplicate of one that was
    /// never stored, a job that completes twice). So the activation is thrown away and the next call reads what storage
    /// holds, and the caller sees the failure.
    /// </summary>
    private async Task WriteAsync(Task write)
    {
        try
        {
            await write;
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>The rule a worker's report of how an attempt ended invokes.</summary>
    private Func<DateTimeOffset, JobTransition> EndCommand(AttemptReport report) => report.Kind switch
    {
        AttemptReportKind.Complete => now => JobLifecycle.Complete(Job, report.Attempt, report.Result, _options, now),
        AttemptReportKind.Fail => now => JobLifecycle.Fail(Job, report.Attempt, report.Error ?? "", _options, now, Random.Shared),
        AttemptReportKind.HandBack => now => JobLifecycle.HandBack(Job, report.Attempt, now),
        AttemptReportKind.Bury => now => JobLifecycle.Bury(Job, report.Attempt, report.Priority, report.Error, now),
        AttemptReportKind.Release => now => JobLifecycle.Release(Job, report.Attempt, report.Priority ?? Job.Priority, report.Delay ?? TimeSpan.Zero, now),
        _ => throw new ArgumentOutOfRangeException(nameof(report), report.Kind, "Unknown report kind."),
    };

    /// <summary>An operator's command: applied, then the schedule is told what it must learn.</summary>
    private async Task<ReportReply> Command(Func<DateTimeOffset, JobTransition> command)
    {
        var transition = await Change(Job.CurrentAttempt, command);
        await Tell(transition.Effect);
        DeactivateIfFinished();
        return transition.Reply;
    }

    /// <summary>Applies a command and writes the state when it changed; the effect on the schedule is the caller's.</summary>
    private async Task<JobTransition> Change(int attempt, Func<DateTimeOffset, JobTransition> command)
    {
        if (!Job.Exists)
        {
            return new JobTransition(
                new ReportReply(ReportResult.NotFound, Job.Status, 0, $"no job has the id {this.GetPrimaryKey()}"), false, ScheduleEffect.None);
        }

        var transition = command(time.GetUtcNow());
        if (!transition.Changed)
        {
            if (transition.Reply.Result == ReportResult.StaleAttempt)
            {
                LogStaleReport(Job.Id, attempt, Job.CurrentAttempt);
            }
            else if (transition.Reply.Result == ReportResult.Duplicate)
            {
                // A report or command sent again: the first may have been written although its caller saw it fail, and
                // then nothing remembered the job. Remembered twice, it is forgotten once.
                RememberIfFinished();
            }

            return transition;
        }

        await WriteAsync(_state.WriteAsync());
        RememberIfFinished();
        if (transition.Effect is not ScheduleEffect.NoChange)
        {
            LogTransition(Job.Id, attempt, Job.Status, transition.Reply.Message);
        }

        return transition;
    }

    private async Task Tell(ScheduleEffect effect)
    {
        try
        {
            switch (effect)
            {
                case ScheduleEffect.Enqueue enqueue:
                    await Schedule.Enqueue([enqueue.Entry], enqueue.Cause);
                    break;
                case ScheduleEffect.AttemptEnded ended:
                    await Schedule.AttemptsEnded([ended.Notice]);
                    break;
                case ScheduleEffect.RemovePending remove:
                    await Schedule.Remove(remove.JobId, remove.FirstCancel);
                    break;
            }
        }
        catch (Exception ex) when (effect is not ScheduleEffect.Enqueue)
        {
            // The state is written; the shard's lease (or, for a cancel, the start check) reconciles later.
            LogNoticeFailed(ex, Job.Id, effect.GetType().Name);
        }
    }

    /// <summary>A change just written left the job finished: it is forgotten once its retention passes.</summary>
    private void RememberIfFinished()
    {
        if (Job.Status.IsTerminal() && Job.FinishedAt is { } finishedAt)
        {
            finished.Add(Job.Id, finishedAt);
        }
    }

    /// <summary>A finished job is rarely read again: free its activation (its state stays in storage).</summary>
    private void DeactivateIfFinished()
    {
        if (!Job.Exists || Job.Status.IsTerminal())
        {
            DeactivateOnIdle();
        }
    }
}
