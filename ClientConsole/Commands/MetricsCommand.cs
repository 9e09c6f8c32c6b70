using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Output;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Commands;

/// <summary><c>metrics [--queue NAME] [--json]</c>: the queue's counters, summed over every schedule shard, its named
/// queues and its workers; with <c>--queue</c>, one named queue's jobs (<see cref="QueueFigures"/>).</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context)
    {
        var queueName = OptionValues.Queue("Show only this named queue's jobs: pending (ready, delayed) and processing. An unknown queue has none.");
        var json = OptionValues.Json();
        var command = new Command("metrics", "Show queue depth by priority and by named queue, job counts and the workers.") { queueName, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var metrics = await queue.GetMetricsAsync();
            var asJson = parse.GetValue(json);
            if (parse.GetValue(queueName) is { } name)
            {
                var figures = QueueFigures.In(metrics, name);
                if (asJson)
                {
                    await context.Output.WriteLineAsync(JsonOutput.Queue(figures));
                }
                else
                {
                    MetricsText.WriteQueue(context.Output, figures);
                }
            }
            else if (asJson)
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
