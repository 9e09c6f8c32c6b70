using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
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
        "Send a FAILED, CANCELLED or BURIED job back to PENDING with its retries restored.", (queue, id) => queue.RequeueAsync(id));

    /// <summary><c>pause QUEUE SECONDS</c>: no job of the queue is leased for that long (0 lifts a pause).</summary>
    public static Command Pause(CliContext context)
    {
        var queueName = QueueArgument("The queue to pause.");
        var seconds = OptionValues.WholeNumberArgument("SECONDS", "How long no job of it is leased (0 lifts a pause).", 0, uint.MaxValue);
        var command = new Command("pause", "Lease no job of a queue for SECONDS (beanstalkd's pause-tube); 0 lifts the pause.") { queueName, seconds };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var name = parse.GetRequiredValue(queueName);
            var delay = parse.GetRequiredValue(seconds);
            await queue.PauseAsync(name, TimeSpan.FromSeconds(delay));
            await context.Output.WriteLineAsync(delay == 0 ? $"queue {name} is no longer paused" : $"queue {name} is paused for {delay} s");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>kick QUEUE N</c>: up to N buried jobs of the queue are pending again, first buried first; when it has
    /// none buried, up to N of its delayed jobs are due now (beanstalkd's <c>kick</c>).</summary>
    public static Command Kick(CliContext context)
    {
        var queueName = QueueArgument("The queue whose buried (or, with none buried, delayed) jobs are kicked.");
        var count = OptionValues.WholeNumberArgument("N", "The most jobs to kick (1 or more).", 1, long.MaxValue);
        var command = new Command("kick", "Send up to N BURIED jobs of a queue back to PENDING, first buried first; with none buried, make up to N DELAYED jobs due now.") { queueName, count };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var name = parse.GetRequiredValue(queueName);
            var kicked = await queue.KickAsync(name, parse.GetRequiredValue(count));
            await context.Output.WriteLineAsync($"kicked {kicked} jobs of queue {name}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A QUEUE argument, refused (a usage error) unless it is a valid queue name.</summary>
    private static Argument<string> QueueArgument(string description)
    {
        var argument = new Argument<string>("QUEUE") { Description = description };
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is var name && !QueueNames.IsValid(name))
            {
                result.AddError(QueueNames.Malformed(name));
            }
        });
        return argument;
    }

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
