using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>
/// The gateway's worker and its heartbeats. The silo's gateway leases for all its connections as one worker,
/// <see cref="Id"/>, and keeps per connection what it reserved (a <see cref="GatewayWorker"/> for each connection that
/// reserved). From the first reserve on, every <see cref="Interval"/> the gateway beats to every shard with the attempts
/// its connections hold (none, when none is open: the gateway stays a live worker rather than one declared lost each
/// time its last connection closes), as a worker host does, so the schedule keeps their leases, and drops from the
/// connections the reservations the schedule took back (ttr ran out).
/// </summary>
internal sealed partial class GatewayHeartbeats(
    IGrainFactory grains,
    IOptions<QueueOptions> queue,
    TimeProvider time,
    ILogger<GatewayHeartbeats> logger) : BackgroundService
{
    /// <summary>As a worker host's default: well within the schedule's worker timeout (10 s by default).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<long, GatewayWorker> _workers = new();
    private bool _used;

    /// <summary>The worker the silo's gateway leases as, for all its connections.</summary>
    public WorkerId Id { get; } = WorkerId.New("beanstalk-gateway");

    /// <summary>The connection's reservations, made on its first reserve.</summary>
    public GatewayWorker WorkerOf(long connectionId)
    {
        Volatile.Write(ref _used, true);
        return _workers.GetOrAdd(connectionId, _ => new GatewayWorker());
    }

    public GatewayWorker? Find(long connectionId) => _workers.GetValueOrDefault(connectionId);

    /// <summary>The connection closed: no more heartbeats for its worker.</summary>
    public GatewayWorker? Forget(long connectionId) => _workers.TryRemove(connectionId, out var worker) ? worker : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var workers = _workers.Values.ToList();
                if (Volatile.Read(ref _used))
                {
                    await Task.WhenAll(Enumerable.Range(0, queue.Value.Shards).Select(shard => BeatAsync(workers, shard)));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>One beat to <paramref name="shard"/> with the attempts of that shard the connections hold (a slot per
    /// connection).</summary>
    private async Task BeatAsync(List<GatewayWorker> workers, int shard)
    {
        try
        {
            var running = workers.SelectMany(w => w.Running()).Where(a => ScheduleShards.Of(a.JobId, queue.Value.Shards) == shard);
            var reply = await grains.Grain<IScheduleGrain>(shard).Heartbeat(new WorkerHeartbeat(Id, workers.Count, [.. running]));
            workers.ForEach(w => w.Disown(reply.Stop));
        }
        catch (Exception ex)
        {
            LogHeartbeatFailed(Id, shard, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk worker {Worker}: the heartbeat to shard {Shard} failed: {Error}")]
    private partial void LogHeartbeatFailed(WorkerId worker, int shard, string error);
}
