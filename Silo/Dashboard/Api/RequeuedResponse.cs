using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>Jobs sent back to pending, by cause (running totals).</summary>
public sealed record RequeuedResponse(long Deadline, long WorkerLost, long HandedBack, long Manual)
{
    public static RequeuedResponse From(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(metrics.RequeuedDeadline, metrics.RequeuedWorkerLost, metrics.RequeuedHandedBack, metrics.RequeuedManual);
    }
}
