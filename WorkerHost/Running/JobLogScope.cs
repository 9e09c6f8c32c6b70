using OrleansQueue.Scheduling;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// The log scope of one attempt: <c>JobId</c>, <c>Attempt</c>, <c>Worker</c> and <c>JobType</c>. Every line logged
/// while it is open carries them, whichever logger writes it (the runner's, the reporter's, the handler's): the logger
/// factory shares one scope stack between its loggers, and the scope flows with the attempt's async calls. The console
/// prints it because the worker's formatter includes scopes (<see cref="Hosting.WorkerLogging"/>).
/// </summary>
internal static class JobLogScope
{
    private static readonly Func<ILogger, Guid, int, string, string, IDisposable?> Scope =
        LoggerMessage.DefineScope<Guid, int, string, string>("JobId:{JobId} Attempt:{Attempt} Worker:{Worker} JobType:{JobType}");

    public static IDisposable? Begin(ILogger logger, LeasedJob job, string worker) =>
        Scope(logger, job.JobId, job.Attempt, worker, job.Type);
}
