using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Jobs;

/// <summary>
/// One job. It applies <see cref="JobLifecycle"/>'s rules, writes the state before it answers, and then tells
/// its schedule shard. If telling the shard fails, the shard's lease (which outlives the notice) runs out and the
/// take-back reconciles with this grain's state, so a lost notice delays a job but never loses it.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState("job", QueueStorage.Name)] IPersistentState<JobState> state,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private readonly QueueOptions _options = options.Value;

    private JobState Job => state.State;

    private IScheduleGrain Schedule => GrainFactory.GetGrain<IScheduleGrain>(Job.Shard);

    public async Task<JobView> Submit(JobSubmission submission)
    {
        var token = Guid.NewGuid();
        var entry = await Store(submission, token);
        if (entry is null)
        {
            return Job.ToView();
        }

        try
        {
            // For a retried submit this repairs a first one that stored the job but lost the enqueue; the schedule
            // never holds a job twice.
            await Schedule.Enqueue([entry]);
        }
        catch (Exception ex)
        {
            // Either the job is stored and queued, or the submit fails and nothing stays stored: a stored job that
            // no shard knows would never run.
            LogSubmitUndone(ex, Job.Id);
            await Discard(token);
            throw;
        }

        return Job.ToView();
    }

    public async Task<QueueEntry?> Store(JobSubmission submission, Guid token)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (Job.Exists)
        {
            if (Job.Status != JobStatus.Pending)
            {
                return null;
            }

            // A resent submit: from now on only this call may undo the store, so an earlier call whose enqueue
            // failed late cannot discard a job this one queued.
            if (Job.StoreToken != token)
            {
                Job.StoreToken = token;
                await state.WriteStateAsync();
            }

            return Job.ToEntry();
        }

        var id = this.GetPrimaryKey();
        var shard = ScheduleShards.Of(id, _options.Shards);
        state.State = JobLifecycle.Create(id, submission, _options, shard, time.GetUtcNow());
        Job.StoreToken = token;
        await state.WriteStateAsync();
        LogSubmitted(id, Job.Type, Job.Priority);

        // A queued job costs only its stored state until a worker leases it: with a million queued, activations would
        // cost gigabytes, while activating at lease time costs no more than keeping them (measured in the benchmark).
        DeactivateOnIdle();

        return Job.ToEntry();
    }

    public async Task Discard(Guid token)
    {
        // Had the enqueue landed after all, the shard drops the entry at lease time: StartAttempt finds no job.
        if (Job.Exists && Job.Status == JobStatus.Pending && Job.Attempts.Count == 0 && Job.StoreToken == token)
        {
            state.State = new JobState();
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
    }

    public Task<JobView?> GetStatus() => Task.FromResult(Job.Exists ? Job.ToView() : null);

    public async Task<LeasedJob?> StartAttempt(string worker)
    {
        var leased = JobLifecycle.Start(Job, worker, time.GetUtcNow());
        if (leased is not null)
        {
            await state.WriteStateAsync();
        }

        return leased;
    }

    public Task<ReportReply> Complete(int attempt, byte[]? result) =>
        Apply(new AttemptReport(Job.Id, attempt, AttemptReportKind.Complete, Result: result));

    public Task<ReportReply> Fail(int attempt, string reason) =>
        Apply(new AttemptReport(Job.Id, attempt, AttemptReportKind.Fail, Error: reason));

    public Task<ReportReply> HandBack(int attempt) =>
        Apply(new AttemptReport(Job.Id, attempt, AttemptReportKind.HandBack));

    public async Task<EndReply> EndAttempt(AttemptReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (reply, effect) = await Change(report.Attempt, EndCommand(report));
        if (effect.Kind == ScheduleEffectKind.None)
        {
            return new EndReply(reply, null, Job.Shard);
        }

        // The attempt-end notice goes back to the caller, which sends a batch's notices to each shard in one call.
        var notice = effect.Kind == ScheduleEffectKind.AttemptEnded ? Notice(effect) : null;
        if (notice is null)
        {
            await Tell(effect);
        }

        DeactivateIfFinished();
        return new EndReply(reply, notice, Job.Shard);
    }

    public Task<ReportReply> ReportProgress(int attempt, int percent, string? message) =>
        Apply(attempt, now => JobLifecycle.ReportProgress(Job, attempt, percent, message, now));

    public Task<ReportReply> Cancel() =>
        Apply(Job.CurrentAttempt, now => JobLifecycle.Cancel(Job, now));

    public async Task<ReportReply> Requeue()
    {
        if (Job.Exists && Job.Status == JobStatus.Pending && Job.NotBefore is null && Job.LastAttempt?.Outcome != AttemptOutcome.Running)
        {
            // Already pending (e.g. a retried requeue whose answer was lost): make sure it is queued.
            await Schedule.Enqueue([Job.ToEntry()], RequeueCause.Manual);
            return new ReportReply(ReportResult.Duplicate, Job.Status, Job.CurrentAttempt, $"job {Job.Id} is already pending");
        }

        return await Apply(Job.CurrentAttempt, now => JobLifecycle.Requeue(Job, now));
    }

    public async Task<TakeBackReply> TakeBack(int attempt, RequeueCause cause)
    {
        var (reply, changed) = JobLifecycle.TakeBack(Job, attempt, cause, time.GetUtcNow());
        if (changed)
        {
            await state.WriteStateAsync();
            LogTakenBack(Job.Id, attempt, cause, Job.Status, Job.RetriesLeft);
            DeactivateIfFinished();
        }

        return reply;
    }

    /// <param name="deliver">Takes the effect off this grain's hands (returns true), or leaves it to <see cref="Tell"/>.</param>
    private Task<ReportReply> Apply(AttemptReport report) => Apply(report.Attempt, EndCommand(report));

    /// <summary>The rule a worker's report of how an attempt ended invokes.</summary>
    private Func<DateTimeOffset, JobTransition> EndCommand(AttemptReport report) => report.Kind switch
    {
        AttemptReportKind.Complete => now => JobLifecycle.Complete(Job, report.Attempt, report.Result, _options, now),
        AttemptReportKind.Fail => now => JobLifecycle.Fail(Job, report.Attempt, report.Error ?? "", _options, now, Random.Shared),
        AttemptReportKind.HandBack => now => JobLifecycle.HandBack(Job, report.Attempt, now),
        _ => throw new ArgumentOutOfRangeException(nameof(report), report.Kind, "Unknown report kind."),
    };

    /// <summary>Applies a command and tells the schedule what it must learn.</summary>
    private async Task<ReportReply> Apply(int attempt, Func<DateTimeOffset, JobTransition> command)
    {
        var (reply, effect) = await Change(attempt, command);
        if (effect.Kind != ScheduleEffectKind.None)
        {
            await Tell(effect);
            DeactivateIfFinished();
        }

        return reply;
    }

    /// <summary>Applies a command and writes the state when it changed; the effect on the schedule is the caller's.</summary>
    private async Task<(ReportReply Reply, ScheduleEffect Effect)> Change(int attempt, Func<DateTimeOffset, JobTransition> command)
    {
        if (!Job.Exists)
        {
            return (new ReportReply(ReportResult.NotFound, Job.Status, 0, $"no job has the id {this.GetPrimaryKey()}"), ScheduleEffect.None);
        }

        var transition = command(time.GetUtcNow());
        if (!transition.Changed)
        {
            if (transition.Reply.Result == ReportResult.StaleAttempt)
            {
                LogStaleReport(Job.Id, attempt, Job.CurrentAttempt);
            }

            return (transition.Reply, ScheduleEffect.None);
        }

        await state.WriteStateAsync();
        if (transition.Effect.Kind != ScheduleEffectKind.None)
        {
            LogTransition(Job.Id, attempt, Job.Status, transition.Reply.Message);
        }

        return (transition.Reply, transition.Effect);
    }

    private async Task Tell(ScheduleEffect effect)
    {
        try
        {
            switch (effect.Kind)
            {
                case ScheduleEffectKind.Enqueue:
                    await Schedule.Enqueue([effect.Requeue!], RequeueCause.Manual);
                    break;
                case ScheduleEffectKind.AttemptEnded:
                    await Schedule.AttemptEnded(Notice(effect));
                    break;
                case ScheduleEffectKind.RemovePending:
                    await Schedule.Remove(Job.Id);
                    break;
            }
        }
        catch (Exception ex) when (effect.Kind != ScheduleEffectKind.Enqueue)
        {
            // The state is written; the shard's lease (or, for a cancel, the start check) reconciles later.
            LogNoticeFailed(ex, Job.Id, effect.Kind);
        }
    }

    private AttemptEnd Notice(ScheduleEffect effect) => new(
        effect.Attempt,
        effect.Outcome,
        effect.Requeue,
        Job.SubmittedAt,
        Job.Attempts[effect.Attempt.Attempt - 1].EndedAt ?? time.GetUtcNow());

    /// <summary>A finished job is rarely read again: free its activation (its state stays in storage).</summary>
    private void DeactivateIfFinished()
    {
        if (Job.Status.IsTerminal())
        {
            DeactivateOnIdle();
        }
    }
}
