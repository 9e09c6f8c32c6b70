using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Live;
using OrleansQueue.Cli.Output;

namespace OrleansQueue.Cli.Commands;

/// <summary><c>status ID [--json] [--watch [--wait-timeout S]]</c>: the job's fields and attempts; with <c>--watch</c>,
/// follows the job to its end instead (<see cref="JobFollow"/>), as <c>submit --wait</c> does.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var id = OptionValues.JobIdArgument();
        var json = OptionValues.Json();
        var watch = new Option<bool>("--watch")
        {
            Description = "Follow the job until it finishes (live on a terminal, one line per step otherwise), then print " +
                "its result; exit 5 if it ends FAILED or CANCELLED.",
        };
        var waitTimeout = OptionValues.WaitTimeout(watch);
        var command = new Command("status", "Show a job: its state, progress, settings, times and attempts.") { id, json, watch, waitTimeout };
        OptionValues.RequireWith(command, waitTimeout, watch);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var jobId = parse.GetRequiredValue(id);
            var queue = await context.QueueAsync(parse, cancellationToken);
            var job = await queue.GetStatusAsync(jobId) ?? throw CliException.NotFound(jobId);
            if (parse.GetValue(watch))
            {
                return await JobFollow.RunAsync(context, queue, job, parse.GetValue(waitTimeout), parse.GetValue(json), cancellationToken);
            }

            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonOutput.Job(job));
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
