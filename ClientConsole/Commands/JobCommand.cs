using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Commands;

/// <summary>
/// <c>cancel ID</c> and <c>requeue ID</c>: one call to the job grain whose reply is printed. An accepted reply, or a
/// duplicate (the job is already in the state asked for: cancelling a CANCELLED job, requeueing a PENDING one), prints
/// its message (exit 0); a refusal is an error (exit 1), an unknown id exit 3.
/// </summary>
internal static class JobCommand
{
    public static Command Cancel(CliContext context) => Create(context, "cancel",
        "Cancel a PENDING or PROCESSING job (its worker is told to stop).", (queue, id) => queue.CancelAsync(id));

    public static Command Requeue(CliContext context) => Create(context, "requeue",
        "Send a FAILED or CANCELLED job back to PENDING with its retries restored.", (queue, id) => queue.RequeueAsync(id));

    private static Command Create(CliContext context, string name, string description, Func<IJobQueue, Guid, Task<ReportReply>> call)
    {
        var id = OptionValues.JobIdArgument();
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var jobId = parse.GetRequiredValue(id);
            var queue = await context.QueueAsync(parse, cancellationToken);
            var reply = await call(queue, jobId);
            switch (reply.Result)
            {
                case ReportResult.Accepted or ReportResult.Duplicate:
                    await context.Output.WriteLineAsync(DisplayText.OneLine(reply.Message));
                    return ExitCodes.Success;
                case ReportResult.NotFound:
                    throw CliException.NotFound(jobId);
                default:
                    throw new CliException(ExitCodes.Refused, reply.Message);
            }
        });
        return command;
    }
}
