using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Live;
using OrleansQueue.Cli.Output;

namespace OrleansQueue.Cli.Commands;

/// <summary><c>watch [--queue NAME] [--interval SECONDS]</c>: the queue's metrics, or one named queue's jobs, refreshed
/// until Ctrl-C (<see cref="QueueWatch"/>).</summary>
internal static class WatchCommand
{
    /// <summary>Default 1 s: live enough to see jobs move, a light load on the shards.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Each refresh reads every shard; a person cannot follow faster than this anyway.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(CliContext context)
    {
        var interval = OptionValues.Seconds(
            "--interval",
            $"Seconds between refreshes, at least {Timestamps.Seconds(MinInterval)}. Default: {Timestamps.Seconds(DefaultInterval)}.",
            i => i >= MinInterval ? null : $"--interval must be at least {Timestamps.Seconds(MinInterval)} s");
        var queueName = OptionValues.Queue("Watch only this named queue's jobs: pending (ready, delayed) and processing.");
        var command = new Command(
            "watch",
            "Watch the queue live until Ctrl-C: depth by priority, job counts, throughput, latency and workers. " +
            "When stdout is not a terminal, prints one summary line per interval.")
        {
            queueName, interval,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            return await QueueWatch.RunAsync(context, queue, parse.GetValue(interval) ?? DefaultInterval, parse.GetValue(queueName), cancellationToken);
        });
        return command;
    }
}
