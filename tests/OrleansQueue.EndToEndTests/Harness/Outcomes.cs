namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>The wire names of job statuses and attempt outcomes, as the client prints them.</summary>
public static class Outcomes
{
    public const string Pending = "PENDING";
    public const string Processing = "PROCESSING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Cancelled = "CANCELLED";

    public const string Running = "RUNNING";
    public const string DeadlineExceeded = "DEADLINE_EXCEEDED";
    public const string WorkerLost = "WORKER_LOST";
    public const string HandedBack = "HANDED_BACK";
}
