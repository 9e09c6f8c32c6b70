using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>
/// The gateway's workers (one per connection that reserved) and their heartbeats: every <see cref="Interval"/> each
/// one beats to every shard with the attempts it holds, as a worker host does, so the schedule keeps its leases while
/// the connection is open, and drops from it the reservations the schedule took back (ttr ran out).
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

    /// <summary>The connection's worker, made on its first reserve.</summary>
    public GatewayWorker WorkerOf(long connectionId) => _workers.GetOrAdd(connectionId, id => new GatewayWorker(id));

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
                await Task.WhenAll(_workers.Values.SelectMany(worker =>
                    Enumerable.Range(0, queue.Value.Shards).Select(shard => BeatAsync(worker, shard))));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task BeatAsync(GatewayWorker worker, int shard)
    {
        try
        {
            var running = worker.Running().Where(a => ScheduleShards.Of(a.JobId, queue.Value.Shards) == shard).ToArray();
            var reply = await grains.GetGrain<IScheduleGrain>(shard).Heartbeat(new WorkerHeartbeat(worker.Id, 1, [.. running]));
            worker.Disown(reply.Stop);
        }
        catch (Exception ex)
        {
            LogHeartbeatFailed(worker.Id, shard, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk worker {Worker}: the heartbeat to shard {Shard} failed: {Error}")]
    private partial void LogHeartbeatFailed(WorkerId worker, int shard, string error);
}
