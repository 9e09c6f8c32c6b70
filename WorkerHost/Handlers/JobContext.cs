using System.Text;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Worker.Handlers;

/// <summary>What a handler gets to know about the attempt it runs.</summary>
/// <param name="job">The leased job; <see cref="LeasedJob.Attempt"/> is this run's fencing token.</param>
/// <param name="workerName">The worker running it.</param>
/// <param name="logger">A logger for the handler; its lines carry the job's scope (JobId, Attempt, Worker, JobType).</param>
/// <param name="receivedAt">When the worker received the lease: the attempt's deadline counts from here.</param>
/// <param name="progress">Sends a progress report for this attempt; null where there is no one to tell (tests).</param>
/// <param name="touch">Extends this attempt's lease and deadline; null where there is none (tests).</param>
public sealed class JobContext(
    LeasedJob job,
    string workerName,
    ILogger logger,
    DateTimeOffset receivedAt,
    Func<int, string?, Task>? progress = null,
    Func<Task<bool>>? touch = null)
{
    public LeasedJob Job { get; } = job ?? throw new ArgumentNullException(nameof(job));

    public string WorkerName { get; } = workerName;

    public ILogger Logger { get; } = logger;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    public Guid JobId => Job.JobId;

    public int Attempt => Job.Attempt;

    public string JobType => Job.Type;

    /// <summary>When the worker stops the attempt because it ran past its deadline.</summary>
    public DateTimeOffset DeadlineAt => ReceivedAt + Job.Deadline;

    public ReadOnlyMemory<byte> Payload => Job.Payload;

    /// <summary>The payload decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public string PayloadText => Encoding.UTF8.GetString(Job.Payload);

    /// <summary>Tells the job how far this attempt got (<paramref name="percent"/> 0 to 100, clamped) with an optional
    /// short message; <c>status</c> shows the latest. Best effort: it never throws, and a report the job refuses
    /// (the attempt is no longer current) is dropped.</summary>
    public Task ReportProgressAsync(int percent, string? message = null) =>
        progress is null ? Task.CompletedTask : progress(Math.Clamp(percent, 0, 100), message);

    /// <summary>The handler is still at it (beanstalkd's <c>touch</c>): the attempt's deadline counts again from now,
    /// both the schedule's lease and this worker's own stop. False when the attempt is no longer this worker's (taken
    /// back or cancelled) or the schedule could not be reached; then the deadline stands.</summary>
    public Task<bool> TouchAsync() => touch is null ? Task.FromResult(false) : touch();

    /// <summary>The result that sets this job aside (status BURIED, beanstalkd's bury) with <paramref name="reason"/>:
    /// no retry is used and no worker leases it until an operator kicks it (<c>kick QUEUE N</c>, <c>requeue ID</c>).
    /// Return it from the handler: <c>return context.Bury("needs a human");</c></summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "Part of the context a handler is given, where it looks for what it can do with its job.")]
    public JobResult Bury(string? reason) => JobResult.Buried(reason);
}
