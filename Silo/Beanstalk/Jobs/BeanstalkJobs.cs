using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Silo.Beanstalk.Connections;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>
/// The job commands, carried out on the queue through the same paths as everyone's: a <c>put</c> is a batch of one to
/// <see cref="ISubmitGrain"/> under a job number (<see cref="JobNumbers"/>), a <c>reserve</c> leases through
/// <see cref="IScheduleGrain.Lease"/> like a worker host, and <c>delete</c> / <c>release</c> of a reserved job are
/// reports to <see cref="IReportGrain"/>. A tube is a queue.
/// <para>Deleting a job a connection reserved completes it (status COMPLETED); deleting a ready or delayed job cancels it
/// (status CANCELLED). Either way it is gone for every beanstalkd command: a job in a final status is
/// <c>NOT_FOUND</c>.</para>
/// <para>The silo's connections lease as one worker (<see cref="GatewayHeartbeats.Id"/>), and their calls are
/// coalesced: reserves of the same watched tubes share lease calls (<see cref="ReserveBatcher"/>), and the ends of
/// reservations go in report batches (<see cref="CallBatcher{TItem, TResult}"/>). Which connection reserved which job is known here
/// only (<see cref="GatewayWorker"/>).</para>
/// </summary>
internal sealed partial class BeanstalkJobs(
    IGrainFactory grains,
    IOptions<QueueOptions> queueOptions,
    GatewayHeartbeats workers,
    BeanstalkInspection inspection,
    GatewayRegistry registry,
    TimeProvider time,
    ILogger<BeanstalkJobs> logger) : IBeanstalkJobs
{
    /// <summary>The job type of every job put through the gateway: a worker host runs them with its handler for it.</summary>
    public const string JobType = "BEANSTALK";

    /// <summary>The protocol's safety margin: within the last second of a reservation's ttr a reserve does not wait.</summary>
    public static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(1);

    private readonly QueueOptions _queue = queueOptions.Value;
    private readonly JobQueueClient _client = new(grains, time);
    private readonly JobNumberSource _numbers = new(count => grains.Grain<IJobNumberGrain>(0).Reserve(count));
    private readonly CallBatcher<AttemptReport, ReportReply?> _reports = new(reports => grains.Grain<IReportGrain>(0).Report(reports), IReportGrain.MaxBatch);
    private ReserveBatcher? _reserves;
    private CallBatcher<JobSubmission, (ulong Number, SubmitOutcome Outcome)>? _puts;

    /// <summary>Puts share submit calls: those of other connections, and a connection's pipelined puts, which it
    /// carries out together (<see cref="Connections.BeanstalkConnection"/>). Their order is kept: a batch's jobs are
    /// numbered and queued in the order the puts came.</summary>
    private CallBatcher<JobSubmission, (ulong Number, SubmitOutcome Outcome)> Puts => LazyInitializer.EnsureInitialized(
        ref _puts, () => new(SubmitAsync, ISubmitGrain.MaxBatch));

    /// <summary>Made on the first reserve (it hands back through this instance's reports).</summary>
    private ReserveBatcher Reserves => LazyInitializer.EnsureInitialized(ref _reserves, () => new ReserveBatcher(
        (shard, max, wait, queues) => grains.Grain<IScheduleGrain>(shard).Lease(workers.Id, max, wait, queues),
        (shard, queues) => grains.Grain<IScheduleGrain>(shard).EndWaits(workers.Id, queues),
        HandBackAsync,
        _queue.Shards,
        _queue.MaxLeaseWait,
        _queue.MaxLeaseBatch,
        time,
        logger));

    public async ValueTask<BeanstalkReply> ExecuteAsync(BeanstalkCommand command, BeanstalkSession session, CancellationToken clientGone)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(session);
        workers.Find(session.ConnectionId)?.DropExpired(time.GetUtcNow());
        if (command is BeanstalkCommand.Kick or BeanstalkCommand.KickJob or BeanstalkCommand.Peek or BeanstalkCommand.PeekState
            or BeanstalkCommand.StatsJob or BeanstalkCommand.StatsTube or BeanstalkCommand.Stats or BeanstalkCommand.ListTubes
            or BeanstalkCommand.ReserveJob)
        {
            // It looks at jobs as they are: none may be held for a reserve meanwhile.
            await HandBackHeldAsync();
        }

        return command switch
        {
            BeanstalkCommand.Put put => await PutAsync(put, session.UsedTube),
            BeanstalkCommand.Reserve reserve => await ReserveAsync(workers.WorkerOf(session.ConnectionId), session.Watched, reserve.TimeoutSeconds, clientGone),
            BeanstalkCommand.ReserveJob reserveJob => await ReserveJobAsync(workers.WorkerOf(session.ConnectionId), reserveJob.Id),
            BeanstalkCommand.Delete delete => await DeleteAsync(workers.Find(session.ConnectionId), delete.Id),
            BeanstalkCommand.Release release => await ReleaseAsync(workers.Find(session.ConnectionId), release),
            BeanstalkCommand.Bury bury => await BuryAsync(workers.Find(session.ConnectionId), bury),
            BeanstalkCommand.Kick kick => BeanstalkReply.WithNumber("KICKED", (ulong)await _client.KickAsync(session.UsedTube, kick.Bound)),
            BeanstalkCommand.KickJob kickJob => await KickJobAsync(kickJob.Id),
            BeanstalkCommand.Touch touch => await TouchAsync(workers.Find(session.ConnectionId), touch.Id),
            BeanstalkCommand.Peek peek => JobIdOf(workers.Find(session.ConnectionId), peek.Id) is { } id
                ? await inspection.PeekAsync(id, peek.Id)
                : BeanstalkReply.NotFound,
            BeanstalkCommand.PeekState peek => await inspection.PeekAsync(session.UsedTube, peek.Kind),
            BeanstalkCommand.StatsJob stats => await StatsJobAsync(workers.Find(session.ConnectionId), stats.Id),
            BeanstalkCommand.StatsTube stats => await inspection.StatsTubeAsync(stats.Tube),
            BeanstalkCommand.Stats => await inspection.StatsAsync(),
            BeanstalkCommand.ListTubes => await inspection.ListTubesAsync(),
            BeanstalkCommand.PauseTube pause => await PauseAsync(pause),
            _ => BeanstalkReply.UnknownCommand,
        };
    }

    public async ValueTask ConnectionClosedAsync(BeanstalkSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (workers.Forget(session.ConnectionId) is not { } worker)
        {
            return;
        }

        // Its jobs go back at once (a hand-back: no retry used); the gateway's other connections keep theirs.
        var reserved = worker.RemoveAll();
        if (reserved.Count > 0)
        {
            await HandBackAsync([.. reserved.Select(r => r.Job)]);
        }
    }

    /// <summary>Jobs the reserves hold ahead go back (see <see cref="ReserveBatcher"/>).</summary>
    private Task HandBackHeldAsync() => Volatile.Read(ref _reserves)?.HandBackHeldAsync() ?? Task.CompletedTask;

    /// <summary>A job of <paramref name="priority"/> became ready in <paramref name="tube"/>: held jobs it comes before go back.</summary>
    private Task ReadiedAsync(string tube, long priority) => Volatile.Read(ref _reserves)?.Readied(tube, priority) ?? Task.CompletedTask;

    /// <summary>Gives jobs back to their queues at once, no retry used. When that fails, the schedule takes them back
    /// at their ttr.</summary>
    private async Task HandBackAsync(ImmutableArray<LeasedJob> jobs)
    {
        try
        {
            await _reports.SendAllAsync(jobs.Select(j => new AttemptReport(j.JobId, j.Attempt, AttemptReportKind.HandBack)));
        }
        catch (Exception ex)
        {
            LogHandBackFailed(ex, jobs.Length);
        }
    }

    private async Task<BeanstalkReply> PutAsync(BeanstalkCommand.Put put, string tube)
    {
        var submission = new JobSubmission(
            JobType,
            put.Body.ToArray(),
            put.Priority,
            // A ttr running out is not a failure in beanstalkd: the job is ready again. The job keeps every retry the
            // silo allows, so only that many timeouts in a row fail it.
            _queue.MaxRetries,
            TimeToRun(put.TimeToRun),
            TimeSpan.Zero,
            tube,
            put.Delay > 0 ? TimeSpan.FromSeconds(put.Delay) : null);
        var (number, outcome) = await Puts.SendAsync(submission);
        switch (outcome.Kind)
        {
            case SubmitOutcomeKind.Queued:
                if (put.Delay == 0)
                {
                    await ReadiedAsync(tube, put.Priority);
                }

                return BeanstalkReply.WithNumber("INSERTED", number);
            case SubmitOutcomeKind.Invalid:
                // The line was checked by the parser, so only the silo's own payload limit can refuse it.
                LogPutRefused(number, outcome.Error);
                return BeanstalkReply.JobTooBig;
            default:
                LogPutFailed(number, outcome.Error);
                return BeanstalkReply.InternalError;
        }
    }

    /// <summary>One submit call for a batch of puts: numbers taken in the puts' order, outcomes in the same order.</summary>
    private async Task<ImmutableArray<(ulong Number, SubmitOutcome Outcome)>> SubmitAsync(ImmutableArray<JobSubmission> submissions)
    {
        var numbers = new ulong[submissions.Length];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = await _numbers.NextAsync();
        }

        var outcomes = await grains.Grain<ISubmitGrain>(0).SubmitBatch([.. submissions.Select((submission, i) => new JobToSubmit(JobNumbers.ToGuid(numbers[i]), submission))]);
        return [.. outcomes.Select((outcome, i) => (numbers[i], outcome))];
    }

    /// <summary>A ttr within the silo's longest deadline (beanstalkd's 2³² − 1 s is cut to it).</summary>
    private TimeSpan TimeToRun(uint seconds) =>
        TimeSpan.FromSeconds(Math.Max(seconds, 1)) is var ttr && ttr > _queue.MaxDeadline ? _queue.MaxDeadline : ttr;

    /// <summary>
    /// Leases one job of the watched tubes (through <see cref="ReserveBatcher"/>, with the reserves of the other
    /// connections). Within the last second of one of the connection's reservations it does not wait
    /// (<c>DEADLINE_SOON</c> unless a job is ready at once); otherwise it waits up to the timeout (none: for ever).
    /// </summary>
    private async Task<BeanstalkReply> ReserveAsync(GatewayWorker worker, IReadOnlyList<string> watched, uint? timeoutSeconds, CancellationToken clientGone)
    {
        var until = timeoutSeconds is { } seconds ? time.GetUtcNow() + TimeSpan.FromSeconds(seconds) : DateTimeOffset.MaxValue;
        while (true)
        {
            var soon = worker.FirstExpiry() is { } expiry ? expiry - SafetyMargin : DateTimeOffset.MaxValue;
            if (await Reserves.TakeAsync(watched, until < soon ? until : soon, clientGone) is { } job)
            {
                var reservation = Reservation.Of(
                    JobNumbers.TryGetNumber(job.JobId, out var number) ? number : await AliasAsync(job),
                    job,
                    ScheduleShards.Of(job.JobId, _queue.Shards));
                worker.Add(reservation);
                return new BeanstalkReply.Job("RESERVED", reservation.Number, reservation.Job.Payload);
            }

            var now = time.GetUtcNow();
            if (soon <= now)
            {
                return BeanstalkReply.DeadlineSoon;
            }

            if (until <= now)
            {
                return BeanstalkReply.TimedOut;
            }
        }
    }

    /// <summary>
    /// A number for a job submitted with a GUID id (the console's), which has none: a fresh one from the allocator of
    /// job numbers, so it never names another job. It names the job for this reservation and this connection only (the
    /// reservation is kept under it; other connections find no job by it), and is gone when the reservation ends; the
    /// next reservation of the job gets a new one. When none can be had, the job goes back to its queue at once.
    /// </summary>
    private async Task<ulong> AliasAsync(LeasedJob job)
    {
        try
        {
            var alias = await _numbers.NextAsync();
            LogAliased(job.JobId, job.Queue, alias);
            return alias;
        }
        catch
        {
            await HandBackAsync([job]);
            throw;
        }
    }

    /// <summary>Leases the job by its number from its shard, whatever tube it is in, if it is ready, delayed or buried
    /// (a buried job is kicked first, then leased: its <c>kicks</c> in <c>stats-job</c> count that kick).</summary>
    private async Task<BeanstalkReply> ReserveJobAsync(GatewayWorker worker, ulong number)
    {
        if (JobIdOf(number) is not { } id)
        {
            return BeanstalkReply.NotFound;
        }

        var shard = ScheduleShards.Of(id, _queue.Shards);
        var schedule = grains.Grain<IScheduleGrain>(shard);
        var job = await schedule.LeaseJob(workers.Id, id);
        if (job is null && (await grains.Grain<IJobGrain>(id).Kick()).Result == ReportResult.Accepted)
        {
            // It was buried (the kick of anything else is refused): ready now, its entry in its shard.
            job = await schedule.LeaseJob(workers.Id, id);
        }

        if (job is null)
        {
            return BeanstalkReply.NotFound;
        }

        var reservation = Reservation.Of(number, job, shard);
        worker.Add(reservation);
        return new BeanstalkReply.Job("RESERVED", number, job.Payload);
    }

    /// <summary>A tube exists for beanstalkd while it holds jobs or a connection uses or watches it: this silo's
    /// connections count, other silos' do not.</summary>
    private async Task<BeanstalkReply> PauseAsync(BeanstalkCommand.PauseTube pause)
    {
        if (!await inspection.ExistsAsync(pause.Tube))
        {
            return BeanstalkReply.NotFound;
        }

        await _client.PauseAsync(pause.Tube, TimeSpan.FromSeconds(pause.Delay));
        // Jobs leased ahead for the next reserves go back: none of a paused tube may be reserved from now on.
        await HandBackHeldAsync();
        return BeanstalkReply.Paused;
    }

    /// <summary>A reserved job is completed; a ready or delayed one is cancelled; anything else is not found.</summary>
    private async Task<BeanstalkReply> DeleteAsync(GatewayWorker? worker, ulong number)
    {
        if (worker?.Get(number) is { } reservation)
        {
            worker.Remove(number);
            return Counted(
                await EndAsync(new AttemptReport(reservation.Job.JobId, reservation.Job.Attempt, AttemptReportKind.Complete), BeanstalkReply.Deleted),
                reservation.Job.Queue);
        }

        if (JobIdOf(number) is not { } id)
        {
            return BeanstalkReply.NotFound;
        }

        await HandBackHeldAsync();
        var job = grains.Grain<IJobGrain>(id);
        // Its tube, for the tube's cmd-delete: read before the cancel, after which the job grain may deactivate.
        var tube = (await job.GetStatus())?.Queue;
        var reply = await job.CancelPending();
        return reply.Result == ReportResult.Accepted ? Counted(BeanstalkReply.Deleted, tube) : BeanstalkReply.NotFound;
    }

    /// <summary>A delete's reply; a success counts in its tube's <c>cmd-delete</c>.</summary>
    private BeanstalkReply Counted(BeanstalkReply reply, string? tube)
    {
        if (reply == BeanstalkReply.Deleted && tube is not null)
        {
            registry.Deleted(tube);
        }

        return reply;
    }

    private async Task<BeanstalkReply> ReleaseAsync(GatewayWorker? worker, BeanstalkCommand.Release release)
    {
        if (worker?.Get(release.Id) is not { } reservation)
        {
            return BeanstalkReply.NotFound;
        }

        worker.Remove(release.Id);
        var reply = await EndAsync(
            new AttemptReport(reservation.Job.JobId, reservation.Job.Attempt, AttemptReportKind.Release,
                Priority: release.Priority, Delay: TimeSpan.FromSeconds(release.Delay)),
            BeanstalkReply.Released);
        if (reply == BeanstalkReply.Released && release.Delay == 0)
        {
            await ReadiedAsync(reservation.Job.Queue, release.Priority);
        }

        return reply;
    }

    private async Task<BeanstalkReply> BuryAsync(GatewayWorker? worker, BeanstalkCommand.Bury bury)
    {
        if (worker?.Get(bury.Id) is not { } reservation)
        {
            return BeanstalkReply.NotFound;
        }

        worker.Remove(bury.Id);
        return await EndAsync(
            new AttemptReport(reservation.Job.JobId, reservation.Job.Attempt, AttemptReportKind.Bury, Priority: bury.Priority),
            BeanstalkReply.Buried);
    }

    private async Task<BeanstalkReply> KickJobAsync(ulong number)
    {
        if (JobIdOf(number) is not { } id)
        {
            return BeanstalkReply.NotFound;
        }

        return (await grains.Grain<IJobGrain>(id).Kick()).Result == ReportResult.Accepted ? BeanstalkReply.Kicked : BeanstalkReply.NotFound;
    }

    /// <summary>The reservation's ttr starts again from now, in the shard that leased it.</summary>
    private async Task<BeanstalkReply> TouchAsync(GatewayWorker? worker, ulong number)
    {
        if (worker?.Get(number) is not { } reservation)
        {
            return BeanstalkReply.NotFound;
        }

        var now = time.GetUtcNow();
        if (!await grains.Grain<IScheduleGrain>(reservation.Shard).ExtendLease(workers.Id, reservation.Attempt, reservation.Job.Deadline))
        {
            worker.Remove(number);
            return BeanstalkReply.NotFound;
        }

        worker.Add(reservation with { ExpiresAt = now + reservation.Job.Deadline });
        return BeanstalkReply.Touched;
    }

    /// <summary>Ends a reserved attempt through the report path: <paramref name="success"/> when the job grain applied
    /// it, <c>NOT_FOUND</c> when the attempt was no longer the connection's (its ttr ran out).</summary>
    private async Task<BeanstalkReply> EndAsync(AttemptReport report, BeanstalkReply success)
    {
        return await _reports.SendAsync(report) switch
        {
            { Result: ReportResult.Accepted or ReportResult.Duplicate } => success,
            null => BeanstalkReply.InternalError,
            _ => BeanstalkReply.NotFound,
        };
    }

    /// <summary>The job a number names; none for 0 (numbers start at 1).</summary>
    private static Guid? JobIdOf(ulong number) => number == 0 ? null : JobNumbers.ToGuid(number);

    /// <summary>The job a number names for this connection: the job of its own reservation under that number (so an
    /// alias names its console job here only), else the numbered job.</summary>
    private static Guid? JobIdOf(GatewayWorker? worker, ulong number) => worker?.Get(number)?.Job.JobId ?? JobIdOf(number);

    private async Task<BeanstalkReply> StatsJobAsync(GatewayWorker? worker, ulong number)
    {
        var reservation = worker?.Get(number);
        return (reservation?.Job.JobId ?? JobIdOf(number)) is { } id
            ? await inspection.StatsJobAsync(id, number, reservation?.ExpiresAt)
            : BeanstalkReply.NotFound;
    }
}
