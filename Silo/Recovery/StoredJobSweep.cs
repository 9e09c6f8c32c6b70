using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Recovery;
using OrleansQueue.Scheduling;
using StackExchange.Redis;

namespace OrleansQueue.Silo.Recovery;

/// <summary>
/// Redis mode's safety net for the schedule shards' write-behind index: finds jobs stored in Redis that no shard knows
/// (a shard's silo died before it wrote its latest changes, a batch whose discard failed) and queues them again; a job
/// left running without a lease anywhere has its attempt taken back first (see <see cref="UnqueuedJobs"/>). It runs on
/// one silo of the cluster (the lowest active address), a few seconds after that silo starts, a few seconds after any
/// silo is declared dead, and every <see cref="StoredJobSweepOptions.Period"/>. It reads every stored job, so its cost
/// grows with the jobs kept; the shard journal of phase 2 makes it a rare check instead of the recovery path.
/// </summary>
internal sealed partial class StoredJobSweep(
    string redis,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IGrainFactory grains,
    Serializer serializer,
    IOptions<ClusterOptions> cluster,
    IOptions<StoredJobSweepOptions> options,
    IOptions<QueueOptions> queue,
    FinishedJobSweep finishedJobs,
    TimeProvider time,
    ILogger<StoredJobSweep> logger) : BackgroundService
{
    /// <summary>The most ids a shard lists per status; a shard listing that many may know more, so its pending jobs are not judged.</summary>
    private const int ListLimit = 100_000;

    private const int ReadBatch = 1000;

    /// <summary>The most finished jobs past their retention one run forgets; the next run finds the rest.</summary>
    private const int MaxForgottenPerRun = 100_000;

    private readonly StoredJobSweepOptions _options = options.Value;
    private readonly OrleansGrainStorageSerializer _states = new(serializer);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ConnectionMultiplexer? _connection;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var deaths = WatchDeathsAsync(stoppingToken);
        try
        {
            await Task.Delay(_options.Delay, time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (IsSweeper())
                {
                    await SweepSafelyAsync(stoppingToken);
                }

                using var period = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                period.CancelAfter(_options.Period);
                try
                {
                    await _wake.Reader.ReadAsync(period.Token);
                    await Task.Delay(_options.Delay, time, stoppingToken);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The period passed.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
        finally
        {
            await deaths.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_connection is { } connection)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task WatchDeathsAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
        {
            var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
            if (newlyDead.Count > 0)
            {
                _wake.Writer.TryWrite(true);
            }
        }
    }

    /// <summary>One silo sweeps: the active one with the lowest address.</summary>
    private bool IsSweeper() =>
        membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .Order()
            .FirstOrDefault() is { } first && first.Equals(localSilo.SiloAddress);

    private async Task SweepSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SweepAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Redis or a shard unavailable: the next run tries again.
            LogSweepFailed(ex);
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        // The jobs' states first, the shards' lists after: see UnqueuedJobs for why the order matters.
        var (read, candidates, expired) = await ReadJobsAsync(stoppingToken);
        var queued = new List<QueueEntry>();
        var takenBack = 0;
        foreach (var shard in candidates.GroupBy(j => j.Shard))
        {
            var schedule = grains.Grain<IScheduleGrain>(shard.Key);
            var pending = await schedule.ListJobs(JobStatus.Pending, ListLimit);
            var leased = await schedule.ListJobs(JobStatus.Processing, ListLimit);
            var known = pending.Concat(leased).ToHashSet();
            var now = time.GetUtcNow();
            var entries = new List<QueueEntry>();
            var endedAttempts = new List<AttemptEnd>();
            try
            {
                foreach (var job in shard)
                {
                    // A full list may have left a job out: only what the shard surely does not know is repaired.
                    switch (UnqueuedJobs.For(job, known, now, _options.MinimumAge))
                    {
                        case Repair.Queue when pending.Length < ListLimit:
                            entries.Add(job.ToEntry());
                            break;
                        case Repair.TakeBack when leased.Length < ListLimit:
                            switch (await TryTakeBackAsync(job))
                            {
                                case TakeBackReply.Ended ended:
                                    // Settled by the shard like any attempt end: counted (it has no lease to count it by),
                                    // and queued again when it goes back.
                                    takenBack++;
                                    endedAttempts.Add(ended.Notice with { NoLease = true });
                                    break;
                                case TakeBackReply.Pending pendingEntry:
                                    entries.Add(pendingEntry.Entry);
                                    break;
                            }

                            break;
                    }
                }
            }
            finally
            {
                // Whatever this pass ended reaches the shard, even when a later job failed: an ended attempt's job is
                // pending, and it must not wait in no shard for the next pass.
                if (entries.Count > 0)
                {
                    await schedule.Enqueue([.. entries], RequeueCause.HandedBack);
                    queued.AddRange(entries);
                }

                if (endedAttempts.Count > 0)
                {
                    await schedule.AttemptsEnded([.. endedAttempts]);
                    queued.AddRange(endedAttempts.Select(n => n.Requeue).OfType<QueueEntry>());
                }
            }
        }

        // Repairs first: forgetting what is past its retention can wait, a job in no shard cannot.
        await ForgetExpiredAsync(expired, stoppingToken);
        if (queued.Count > 0)
        {
            LogRepaired(read, queued.Count, takenBack, string.Join(", ", queued.Take(5).Select(e => e.JobId)));
        }
        else
        {
            LogNothingToRepair(read);
        }
    }

    /// <summary>Reads every stored job state; returns how many were read, those pending or processing, and the finished
    /// ones past their retention.</summary>
    private async Task<(int Read, List<JobState> Unfinished, List<(Guid JobId, DateTimeOffset FinishedAt)> Expired)> ReadJobsAsync(CancellationToken stoppingToken)
    {
        var cutoff = time.GetUtcNow() - queue.Value.FinishedJobRetention;
        _connection ??= await ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(redis));
        var database = _connection.GetDatabase();
        // The Redis grain storage's key of a job grain's state: {ServiceId}/state/{grain type}/{grain key}/{state name}.
        var pattern = $"{cluster.Value.ServiceId}/state/job/*/job";
        var read = 0;
        var unfinished = new List<JobState>();
        var expired = new List<(Guid JobId, DateTimeOffset FinishedAt)>();
        var keys = new List<RedisKey>(ReadBatch);
        foreach (var server in _connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: ReadBatch).WithCancellation(stoppingToken))
            {
                keys.Add(key);
                if (keys.Count == ReadBatch)
                {
                    read += await ReadBatchAsync(database, keys, unfinished, expired, cutoff);
                    keys.Clear();
                }
            }
        }

        read += await ReadBatchAsync(database, keys, unfinished, expired, cutoff);
        return (read, unfinished, expired);
    }

    private async Task<int> ReadBatchAsync(IDatabase database, List<RedisKey> keys, List<JobState> unfinished, List<(Guid JobId, DateTimeOffset FinishedAt)> expired, DateTimeOffset cutoff)
    {
        var values = await Task.WhenAll(keys.Select(k => database.HashGetAsync(k, "data")));
        var read = 0;
        foreach (var value in values)
        {
            if (value.IsNullOrEmpty)
            {
                continue;
            }

            read++;
            var job = _states.Deserialize<JobState>(new BinaryData((byte[])value!));
            if (job is not null && job.Status is JobStatus.Pending or JobStatus.Processing && job.Shard < queue.Value.Shards)
            {
                unfinished.Add(job);
            }
            else if (job is not null && expired.Count < MaxForgottenPerRun && FinishedJobs.IsPastRetention(job.Status, job.FinishedAt, cutoff))
            {
                expired.Add((job.Id, job.FinishedAt!.Value));
            }
        }

        return read;
    }

    /// <summary>Finished jobs past their retention that no silo's <see cref="FinishedJobs"/> holds any more (their silo
    /// ended or restarted) are forgotten the way each silo forgets its own (<see cref="FinishedJobSweep.ForgetAsync"/>); a
    /// job some silo still holds is forgotten by whichever comes first, and the other finds it gone.</summary>
    private async Task ForgetExpiredAsync(List<(Guid JobId, DateTimeOffset FinishedAt)> expired, CancellationToken stoppingToken)
    {
        var (forgotten, notAnswered) = await finishedJobs.ForgetAsync(expired, ForgetReason.Retention, stoppingToken);
        if (forgotten > 0 || notAnswered.Count > 0)
        {
            LogForgotten(forgotten, notAnswered.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored-job sweep: forgot {Count} finished jobs past their retention ({NotAnswered} job grains did not answer; the next run tries them again)")]
    private partial void LogForgotten(int count, int notAnswered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored-job sweep: read {Read} stored jobs; {Queued} were in no shard and are queued again ({TakenBack} running attempts without a lease taken back), e.g. {Examples}")]
    private partial void LogRepaired(int read, int queued, int takenBack, string examples);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored-job sweep: read {Read} stored jobs; every unfinished one is known to its shard")]
    private partial void LogNothingToRepair(int read);

    /// <summary>Null when the job grain did not answer: the next pass tries it again.</summary>
    private async Task<TakeBackReply?> TryTakeBackAsync(JobState job)
    {
        try
        {
            return await grains.Grain<IJobGrain>(job.Id).TakeBack(job.CurrentAttempt, leasedAt: null, RequeueCause.HandedBack);
        }
        catch (Exception ex)
        {
            LogTakeBackFailed(ex, job.Id);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored-job sweep: taking back job {JobId}'s attempt failed; the next run tries again")]
    private partial void LogTakeBackFailed(Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored-job sweep failed; the next run tries again")]
    private partial void LogSweepFailed(Exception exception);
}
