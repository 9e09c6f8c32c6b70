using System.ComponentModel.DataAnnotations;

namespace OrleansQueue.Silo.Recovery;

/// <summary>The stored-job sweep of Redis mode (<see cref="StoredJobSweep"/>), bound from the <c>Recovery</c> section.</summary>
public sealed class StoredJobSweepOptions
{
    public const string SectionName = "Recovery";

    /// <summary>How often the sweep runs besides its runs after a start and after a silo's death. Default 5 min: each
    /// run reads every job stored in Redis, finished ones included, so its cost grows with what is kept.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after the silo starts, and after a death is seen, the sweep waits before it runs. Default 5 s:
    /// long enough for the dead silo's shards to come back on the survivors.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job is repaired only when it has been pending or running at least this long. Default 5 s, far more
    /// than a submit takes between storing a job and queueing it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromSeconds(5);
}
