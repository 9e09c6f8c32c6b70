using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Output;

namespace OrleansQueue.Cli.Commands;

/// <summary><c>status ID [--json]</c>: the job's fields and attempts.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var id = OptionValues.JobIdArgument();
        var json = OptionValues.Json();
        var command = new Command("status", "Show a job: its state, settings, times and attempts.") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var jobId = parse.GetRequiredValue(id);
            var queue = await context.QueueAsync(parse, cancellationToken);
            var job = await queue.GetStatusAsync(jobId) ?? throw CliException.NotFound(jobId);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JobJson.Format(job));
            }
            else
            {
                JobText.Write(context.Output, job);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
