using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>A worker as the schedule sees it; <c>utilization</c> (0..1) is the busy share of its slot-time over
/// <c>utilizationWindowSeconds</c>.</summary>
public sealed record WorkerResponse(
    string Name,
    bool Alive,
    int Slots,
    int Busy,
    long Completed,
    long Failed,
    double Utilization,
    double UtilizationWindowSeconds,
    DateTimeOffset LastSeen)
{
    public static WorkerResponse From(WorkerInfo worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return new(worker.Name, worker.Alive, worker.Slots, worker.Busy, worker.Completed, worker.Failed,
            Math.Round(worker.Utilization, 4), ApiValues.Seconds(worker.UtilizationWindow), ApiValues.Time(worker.LastSeen));
    }
}
