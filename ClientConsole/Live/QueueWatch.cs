using OrleansQueue.Cli.Commands;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Cli.Output;
using OrleansQueue.Scheduling;
using Spectre.Console;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Live;

/// <summary>
/// <c>watch</c>: reads the metrics every interval until Ctrl-C, and shows them (or, with a queue name, that named queue's
/// figures) as a dashboard redrawn in place on a terminal (<see cref="QueueDashboard"/>), or as one timestamped line per
/// interval otherwise (<see cref="WatchText"/>).
/// A failed read does not end it: the error is shown and the next interval tries again, as a monitor should.
/// </summary>
internal static class QueueWatch
{
    /// <returns><see cref="ExitCodes.Success"/>: Ctrl-C (or <paramref name="cancellationToken"/>) is how a watch ends.</returns>
    /// <param name="queueName">The named queue to watch alone; null: the whole queue.</param>
    public static async Task<int> RunAsync(CliContext context, IJobQueue queue, TimeSpan interval, string? queueName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var ctrlC = CtrlC.Catch(cancellationToken);
        try
        {
            if (context.Terminal is { } terminal)
            {
                var source = context.Connection?.Gateway ?? "the silo";
                var last = (QueueMetrics?)null;
                await terminal.Live(QueueDashboard.Build(context.Time.GetUtcNow(), source, interval, null, null, queueName))
                    .StartAsync(async live => await EveryIntervalAsync(context, queue, interval, (at, metrics, error) =>
                    {
                        last = metrics ?? last;
                        live.UpdateTarget(QueueDashboard.Build(at, source, interval, last, error, queueName));
                        live.Refresh();
                    }, ctrlC.Token).ConfigureAwait(false)).ConfigureAwait(false);
            }
            else
            {
                await EveryIntervalAsync(context, queue, interval, (at, metrics, error) =>
                {
                    if (metrics is not null)
                    {
                        context.Output.WriteLine(queueName is null ? WatchText.Line(at, metrics) : WatchText.QueueLine(at, QueueFigures.In(metrics, queueName)));
                        context.Output.Flush();
                    }
                    else
                    {
                        context.Error.WriteLine($"{Timestamps.Format(at)}  error: {error}");
                    }
                }, ctrlC.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ctrlC.Token.IsCancellationRequested)
        {
            // Stopped: the end of every watch.
        }

        return ExitCodes.Success;
    }

    /// <summary>Reads the metrics at once and then at every tick, and hands each outcome to <paramref name="show"/>:
    /// the metrics, or (null and) the reason the read failed.</summary>
    private static async Task EveryIntervalAsync(
        CliContext context, IJobQueue queue, TimeSpan interval, Action<DateTimeOffset, QueueMetrics?, string?> show, CancellationToken cancellationToken)
    {
        using var ticks = new PeriodicTimer(interval, context.Time);
        do
        {
            try
            {
                var metrics = await queue.GetMetricsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                show(context.Time.GetUtcNow(), metrics, null);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                show(context.Time.GetUtcNow(), null, DisplayText.OneLine(ErrorReport.Describe(ex, context.Connection).Message));
            }
        }
        while (await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
