namespace OrleansQueue.Worker.Hosting;

public static class WorkerLogging
{
    /// <summary>
    /// The worker's console log: one line per entry, with a millisecond timestamp and the entry's scopes, so a job's
    /// line shows the attempt it belongs to, e.g.
    /// <c>12:00:01.250 info: OrleansQueue.Worker.Running.JobRunner[0] => JobId:0196… Attempt:1 Worker:w1 JobType:T Job … started</c>.
    /// </summary>
    public static ILoggingBuilder AddWorkerConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        return logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
    }
}
