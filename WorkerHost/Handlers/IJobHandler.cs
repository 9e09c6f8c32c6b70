namespace OrleansQueue.Worker.Handlers;

/// <summary>
/// Runs one attempt of a job type. Register one with
/// <see cref="JobHandlerServiceCollectionExtensions.AddJobHandler{THandler}"/>; a type without a handler of its own
/// runs on <see cref="SimulationHandler"/>.
/// </summary>
/// <remarks>
/// The token fires when the attempt must stop: its deadline passed, the schedule took it back or the job was
/// cancelled, or the worker's graceful-stop grace ran out. Stop by letting an <see cref="OperationCanceledException"/>
/// for that token escape: the worker then decides what to report (nothing, or a hand-back). A result that is
/// returned is always reported as the attempt's outcome, even after the token fired; the job grain may refuse it.
/// An exception other than cancellation fails the attempt with the exception's message.
/// </remarks>
public interface IJobHandler
{
    Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken);
}
