using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Output;

namespace OrleansQueue.Cli.Commands;

/// <summary><c>metrics [--json]</c>: the queue's counters, summed over every schedule shard, and its workers.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context)
    {
        var json = OptionValues.Json();
        var command = new Command("metrics", "Show queue depth by priority, job counts and the workers.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var metrics = await queue.GetMetricsAsync();
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonOutput.Metrics(metrics));
            }
            else
            {
                MetricsText.Write(context.Output, metrics);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
