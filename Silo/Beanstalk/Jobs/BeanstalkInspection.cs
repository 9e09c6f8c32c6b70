using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Silo.Beanstalk.Connections;
using OrleansQueue.Silo.Beanstalk.Hosting;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>
/// The commands that only read: <c>peek</c>, <c>peek-ready</c>/<c>-delayed</c>/<c>-buried</c>, <c>stats-job</c>,
/// <c>stats-tube</c>, <c>stats</c> and <c>list-tubes</c>, answered from the job grains and the shards, with beanstalkd's
/// field names and in its order. The job counts come from the queue (every silo's); what beanstalkd counts of its
/// connections (<c>cmd-*</c>, <c>current-using</c> and the like) is this silo's, from its <see cref="GatewayRegistry"/>.
/// A job in a final status (completed, failed, cancelled: deleted, for a beanstalkd client) is <c>NOT_FOUND</c>.
/// </summary>
internal sealed class BeanstalkInspection(
    IGrainFactory grains,
    IOptions<QueueOptions> queueOptions,
    IOptions<BeanstalkOptions> beanstalkOptions,
    GatewayRegistry registry,
    TimeProvider time)
{
    private readonly QueueOptions _queue = queueOptions.Value;

    /// <summary>The job's beanstalkd state, or null when beanstalkd would not know it (finished, or unknown).</summary>
    public static string? StateOf(JobView job, DateTimeOffset now) => job.Status switch
    {
        JobStatus.Delayed => "delayed",
        JobStatus.Pending when job.NotBefore > now => "delayed",
        JobStatus.Pending => "ready",
        JobStatus.Processing => "reserved",
        JobStatus.Buried => "buried",
        _ => null,
    };

    /// <summary><c>peek &lt;id&gt;</c>: the job <paramref name="id"/>, in whatever state, unless it is gone; it is named
    /// <paramref name="number"/> in the reply (its job number, or the asking connection's alias of it).</summary>
    public async Task<BeanstalkReply> PeekAsync(Guid id, ulong number)
    {
        var job = grains.Grain<IJobGrain>(id);
        if (await job.GetStatus() is not { } view || StateOf(view, time.GetUtcNow()) is null || await job.GetPayload() is not { } payload)
        {
            return BeanstalkReply.NotFound;
        }

        return new BeanstalkReply.Job("FOUND", number, payload);
    }

    /// <summary><c>peek-ready</c> and the like on <paramref name="tube"/>: the best candidate of each shard, then the
    /// best of those (ready: by priority then age; delayed: due first; buried: buried first per shard).</summary>
    public async Task<BeanstalkReply> PeekAsync(string tube, PeekKind kind)
    {
        var place = kind switch
        {
            PeekKind.Ready => PeekPlace.Ready,
            PeekKind.Delayed => PeekPlace.Delayed,
            _ => PeekPlace.Buried,
        };
        var ids = await Task.WhenAll(Enumerable.Range(0, _queue.Shards).Select(s => grains.Grain<IScheduleGrain>(s).PeekQueue(tube, place)));
        var views = (await Task.WhenAll(ids.OfType<Guid>().Select(id => grains.Grain<IJobGrain>(id).GetStatus()))).OfType<JobView>();
        var best = place switch
        {
            PeekPlace.Ready => views.OrderBy(v => v.Priority).ThenBy(v => v.SubmittedAt).FirstOrDefault(),
            PeekPlace.Delayed => views.OrderBy(v => v.NotBefore).FirstOrDefault(),
            _ => views.FirstOrDefault(),
        };
        return best is not null && JobNumbers.TryGetNumber(best.Id, out var number) ? await PeekAsync(best.Id, number) : BeanstalkReply.NotFound;
    }

    /// <summary><c>stats-job</c>: beanstalkd's fields (<c>file</c> is always 0: there is no binlog).
    /// <paramref name="reservedUntil"/> is the ttr end when the asking connection holds the job (a touch moves it);
    /// <paramref name="number"/> is the <c>id</c> shown (its job number, or the asking connection's alias of it).</summary>
    public async Task<BeanstalkReply> StatsJobAsync(Guid id, ulong number, DateTimeOffset? reservedUntil)
    {
        var now = time.GetUtcNow();
        if (await grains.Grain<IJobGrain>(id).GetStatus() is not { } job || StateOf(job, now) is not { } state)
        {
            return BeanstalkReply.NotFound;
        }

        var timeLeft = state switch
        {
            "reserved" => (reservedUntil ?? job.Attempts[^1].StartedAt + job.Deadline) - now,
            "delayed" => job.NotBefore!.Value - now,
            _ => TimeSpan.Zero,
        };
        var buries = job.Attempts.Count(a => a.Outcome == AttemptOutcome.Buried);
        return new BeanstalkReply.Data(new YamlDocument()
            .Add("id", number)
            .Add("tube", job.Queue)
            .Add("state", state)
            .Add("pri", job.Priority)
            .Add("age", Seconds(now - job.SubmittedAt))
            .Add("delay", Seconds(job.Delay))
            .Add("ttr", Seconds(job.Deadline))
            .Add("time-left", Seconds(timeLeft))
            .Add("file", 0L)
            .Add("reserves", (long)job.Attempts.Count)
            .Add("timeouts", (long)job.Attempts.Count(a => a.Outcome == AttemptOutcome.DeadlineExceeded))
            .Add("releases", (long)job.Attempts.Count(a => a.Outcome == AttemptOutcome.Released))
            .Add("buries", (long)buries)
            // Every bury but a current one ended in a kick: the only other way out is a delete, after which it is gone.
            // Kicks of a delayed job are counted apart.
            .Add("kicks", (long)(buries - (state == "buried" ? 1 : 0) + job.DelayedKicks))
            .ToBytes());
    }

    /// <summary><c>stats-tube</c>: the tube's jobs by state, added up over the shards, and what this silo's connections
    /// do with it; <c>NOT_FOUND</c> when the tube does not exist (<see cref="ExistsAsync"/>).</summary>
    public async Task<BeanstalkReply> StatsTubeAsync(string tube)
    {
        var counts = await CountsAsync(tube);
        if (!Exists(tube, counts))
        {
            return BeanstalkReply.NotFound;
        }

        var sum = QueueCounts.Sum(tube, counts);
        var here = registry.Tube(tube);
        var pause = sum.Pause is { } p ? (Seconds(p.Delay), Seconds(p.Until - time.GetUtcNow())) : (0L, 0L);
        return new BeanstalkReply.Data(Jobs(new YamlDocument().Add("name", tube), sum)
            .Add("total-jobs", here.Puts)
            .Add("current-using", here.Using)
            .Add("current-watching", here.Watching)
            .Add("current-waiting", here.Waiting)
            .Add("cmd-delete", here.Deletes)
            .Add("cmd-pause-tube", here.Pauses)
            .Add("pause", pause.Item1)
            .Add("pause-time-left", pause.Item2)
            .ToBytes());
    }

    /// <summary><c>stats</c>: the job counts over every tube, and what this silo knows of itself and its connections.</summary>
    public async Task<BeanstalkReply> StatsAsync()
    {
        var counts = await CountsAsync(null);
        var metrics = QueueMetrics.Combine([.. await Task.WhenAll(Enumerable.Range(0, _queue.Shards).Select(s => grains.Grain<IScheduleGrain>(s).GetMetrics()))]);
        var connections = registry.Read();
        var process = Process.GetCurrentProcess();
        var document = Jobs(new YamlDocument(), QueueCounts.Sum("", counts));
        foreach (var (command, count) in connections.Commands)
        {
            document.Add($"cmd-{command}", count);
        }

        document
            .Add("job-timeouts", metrics.RequeuedDeadline)
            .Add("total-jobs", metrics.Submitted)
            .Add("max-job-size", (long)beanstalkOptions.Value.MaxJobSize)
            .Add("current-tubes", (long)TubeNames(counts).Count())
            .Add("current-connections", connections.Connections)
            .Add("current-producers", connections.Producers)
            .Add("current-workers", connections.Workers)
            .Add("current-waiting", connections.Waiting)
            .Add("total-connections", connections.TotalConnections)
            .Add("pid", (long)Environment.ProcessId)
            .Add("version", "\"OrleansQueue\"")
            .Add("rusage-utime", process.UserProcessorTime.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture))
            .Add("rusage-stime", process.PrivilegedProcessorTime.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture))
            .Add("uptime", Seconds(DateTime.Now - process.StartTime))
            // No binlog: the jobs are in the silo's storage.
            .Add("binlog-oldest-index", 0L)
            .Add("binlog-current-index", 0L)
            .Add("binlog-records-migrated", 0L)
            .Add("binlog-records-written", 0L)
            .Add("binlog-max-size", 0L)
            .Add("draining", registry.Draining ? "true" : "false")
            .Add("id", registry.Id)
            .Add("hostname", Environment.MachineName)
            .Add("os", Uname.Version)
            .Add("platform", Uname.Machine);
        return new BeanstalkReply.Data(document.ToBytes());
    }

    /// <summary>Whether <paramref name="tube"/> exists for beanstalkd: <c>default</c> always, any other while it holds a
    /// job (or a pause) or a connection of this silo uses or watches it.</summary>
    public async Task<bool> ExistsAsync(string tube) => Exists(tube, await CountsAsync(tube));

    private bool Exists(string tube, List<QueueCounts> counts) =>
        counts.Count > 0 || tube == QueueNames.Default || registry.InUse(tube);

    /// <summary><c>list-tubes</c>: every tube that exists (<see cref="ExistsAsync"/>).</summary>
    public async Task<BeanstalkReply> ListTubesAsync() => new BeanstalkReply.Data(YamlDocument.List(TubeNames(await CountsAsync(null))));

    private IEnumerable<string> TubeNames(List<QueueCounts> counts) =>
        counts.Select(c => c.Queue).Prepend(QueueNames.Default).Concat(registry.TubesInUse()).Distinct(StringComparer.Ordinal);

    private static YamlDocument Jobs(YamlDocument document, QueueCounts counts) => document
        .Add("current-jobs-urgent", counts.Urgent)
        .Add("current-jobs-ready", counts.Ready)
        .Add("current-jobs-reserved", counts.Reserved)
        .Add("current-jobs-delayed", counts.Delayed)
        .Add("current-jobs-buried", counts.Buried);

    private async Task<List<QueueCounts>> CountsAsync(string? tube)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, _queue.Shards).Select(s => grains.Grain<IScheduleGrain>(s).GetQueueCounts(tube)));
        var all = shards.SelectMany(c => c).Where(c => tube is null || c.Ready + c.Reserved + c.Delayed + c.Buried > 0 || c.Pause is not null).ToList();
        return tube is null ? [.. all.GroupBy(c => c.Queue, StringComparer.Ordinal).Select(g => QueueCounts.Sum(g.Key, g))] : all;
    }

    /// <summary>
    /// What beanstalkd's <c>stats</c> shows as <c>os</c> and <c>platform</c>: <c>uname</c>'s version and machine
    /// (<c>#1 SMP PREEMPT_DYNAMIC ...</c>, <c>x86_64</c>). On Linux they are read from <c>/proc/sys/kernel/version</c>
    /// and <c>/proc/sys/kernel/arch</c> (kernel 6.1 on); where a file is missing, the OS's description and uname's name
    /// of the OS architecture stand in.
    /// </summary>
    private static class Uname
    {
        public static readonly string Version = ReadLine("/proc/sys/kernel/version") ?? RuntimeInformation.OSDescription;

        public static readonly string Machine = ReadLine("/proc/sys/kernel/arch") ?? RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.X86 => "i686",
            Architecture.Arm64 => OperatingSystem.IsMacOS() ? "arm64" : "aarch64",
            Architecture.Arm => "armv7l",
            var other => other.ToString().ToLowerInvariant(),
        };

        private static string? ReadLine(string path)
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            try
            {
                var line = File.ReadAllText(path).Trim();
                return line.Length > 0 && !line.Contains('\n', StringComparison.Ordinal) ? line : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    private static long Seconds(TimeSpan span) => span <= TimeSpan.Zero ? 0 : (long)span.TotalSeconds;
}
