using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Output;
using OrleansQueue.Jobs;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Commands;

/// <summary><c>list --status STATUS [--queue NAME] [--limit N] [--json]</c>: jobs now in a status, of every named queue
/// or of one. Pending and processing jobs come in queue order, finished ones newest first.</summary>
internal static class ListCommand
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    public static Command Create(CliContext context)
    {
        var status = new Option<JobStatus>("--status")
        {
            Description = $"One of {JobStatusNames.Listed} (any case).",
            HelpName = "STATUS",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens[^1].Value;
                if (JobStatusNames.TryParse(text, out var parsed))
                {
                    return parsed;
                }

                result.AddError($"--status: '{DisplayText.Echo(text)}' is not a job status: expected one of {JobStatusNames.Listed}");
                return default;
            },
        };
        var limit = OptionValues.WholeNumber("--limit", $"Most jobs to show, 1 to {MaxLimit}. Default: {DefaultLimit}.",
            n => n is >= 1 and <= MaxLimit ? null : $"--limit {n} is out of range: it must be from 1 to {MaxLimit}");
        var queueName = OptionValues.Queue("Only the jobs of this named queue (an unknown queue has none). Default: every queue.");
        var json = OptionValues.Json();

        var command = new Command("list", "List jobs in a status, one line each.") { status, queueName, limit, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var jobs = await queue.ListAsync(parse.GetRequiredValue(status), parse.GetValue(limit) ?? DefaultLimit, parse.GetValue(queueName));
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonOutput.Jobs(jobs));
            }
            else
            {
                JobListText.Write(context.Output, jobs);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
