using System.Globalization;
using OrleansQueue.Cli.Output;
using OrleansQueue.Scheduling;
using Spectre.Console;
using Spectre.Console.Rendering;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Live;

/// <summary>
/// <c>watch</c> on a terminal: a header, pending jobs by priority as bars beside the job counts, throughput beside the
/// latency percentiles, the named queues and the workers table; for one named queue, its figures alone. Built anew
/// from each metrics read.
/// </summary>
internal static class QueueDashboard
{
    /// <param name="at">When the metrics were read (the client's clock).</param>
    /// <param name="source">Where they come from, e.g. the gateway.</param>
    /// <param name="metrics">The latest metrics read; null before the first succeeded.</param>
    /// <param name="error">Why the latest read failed; null when it succeeded.</param>
    /// <param name="queue">The named queue watched alone; null: the whole queue.</param>
    public static IRenderable Build(DateTimeOffset at, string source, TimeSpan interval, QueueMetrics? metrics, string? error, string? queue = null)
    {
        var watched = queue is null ? "" : $" · queue [bold]{Markup.Escape(queue)}[/]";
        var header = new Markup(
            $"[bold]OrleansQueue[/] at {Markup.Escape(source)}{watched}  [grey]{Timestamps.Format(at)} · every {Timestamps.Seconds(interval)} s · Ctrl-C to stop[/]");
        var parts = new List<IRenderable> { header };
        if (error is not null)
        {
            parts.Add(new Markup($"[red]{Markup.Escape(DisplayText.OneLine(error))}[/]{(metrics is null ? "" : " [grey](showing the last metrics read)[/]")}"));
        }

        if (metrics is null)
        {
            return new Rows(parts);
        }

        if (queue is not null)
        {
            parts.Add(Queues([QueueFigures.In(metrics, queue)], 1));
            return new Rows(parts);
        }

        parts.Add(SideBySide(Depth(metrics), Counts(metrics)));
        parts.Add(SideBySide(Throughput(metrics), Latency(metrics)));
        parts.Add(Queues(metrics.Queues, MaxQueueRows));
        parts.Add(Workers(metrics));
        return new Rows(parts);
    }

    private static Grid SideBySide(IRenderable left, IRenderable right)
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().PadRight(4));
        grid.AddColumn();
        grid.AddRow(left, right);
        return grid;
    }

    private static BarChart Depth(QueueMetrics metrics)
    {
        var chart = new BarChart()
            .Label($"[bold]pending by priority[/] ({metrics.Pending})")
            .LeftAlignLabel()
            .Width(44)
            // Bars scale to the deepest priority; an empty queue still draws (no division by zero).
            .WithMaxValue(Math.Max(1, Math.Max(metrics.Delayed, metrics.PendingByPriority.DefaultIfEmpty().Max())));
        for (var priority = 0; priority < metrics.PendingByPriority.Length; priority++)
        {
            var color = priority switch
            {
                <= 2 => Color.Red,
                <= 6 => Color.Yellow,
                _ => Color.Blue,
            };
            chart.AddItem(priority.ToString(CultureInfo.InvariantCulture).PadLeft(2), metrics.PendingByPriority[priority], color);
        }

        chart.AddItem("delayed", metrics.Delayed, Color.Grey);
        return chart;
    }

    private static Table Counts(QueueMetrics metrics)
    {
        var table = new Table().Border(TableBorder.Simple).Title("[bold]jobs[/]");
        table.AddColumn("");
        table.AddColumn(new TableColumn("").RightAligned());
        table.HideHeaders();
        table.AddRow("pending", MetricsText.Count(metrics.Pending));
        table.AddRow("processing", MetricsText.Count(metrics.Processing));
        table.AddRow("[green]completed[/]", MetricsText.Count(metrics.Completed));
        table.AddRow("[red]failed[/]", MetricsText.Count(metrics.Failed));
        table.AddRow("cancelled", MetricsText.Count(metrics.Cancelled));
        table.AddRow("retried", MetricsText.Count(metrics.Retried));
        table.AddRow("requeued", MetricsText.Count(
            metrics.RequeuedDeadline + metrics.RequeuedWorkerLost + metrics.RequeuedHandedBack + metrics.RequeuedManual));
        table.AddRow("[grey]  deadline · lost · back · manual[/]",
            $"[grey]{metrics.RequeuedDeadline} · {metrics.RequeuedWorkerLost} · {metrics.RequeuedHandedBack} · {metrics.RequeuedManual}[/]");
        table.AddRow("oldest pending", MetricsText.OldestPendingAge(metrics) is { } age ? $"{Timestamps.Seconds(age)} s" : "-");
        return table;
    }

    private static Table Throughput(QueueMetrics metrics)
    {
        var table = new Table().Border(TableBorder.Simple).Title("[bold]completed per second[/]");
        table.AddColumn(new TableColumn("10 s").RightAligned());
        table.AddColumn(new TableColumn("1 min").RightAligned());
        table.AddColumn(new TableColumn("5 min").RightAligned());
        table.AddRow(
            Timestamps.Rate(metrics.CompletedPerSecond10s),
            Timestamps.Rate(metrics.CompletedPerSecond1m),
            Timestamps.Rate(metrics.CompletedPerSecond5m));
        return table;
    }

    private static Table Latency(QueueMetrics metrics)
    {
        var window = metrics.LatencyWindow > TimeSpan.Zero ? $" (last {Timestamps.Seconds(metrics.LatencyWindow)} s)" : "";
        var table = new Table().Border(TableBorder.Simple).Title($"[bold]latency[/]{window}");
        table.AddColumn("stage");
        table.AddColumn(new TableColumn("p50").RightAligned());
        table.AddColumn(new TableColumn("p95").RightAligned());
        table.AddColumn(new TableColumn("p99").RightAligned());
        table.AddColumn(new TableColumn("samples").RightAligned());
        foreach (var stage in LatencyStage.Of(metrics))
        {
            table.AddRow(
                stage.Label,
                Timestamps.Latency(stage.P50),
                Timestamps.Latency(stage.P95),
                Timestamps.Latency(stage.P99),
                MetricsText.Count(stage.Count));
        }

        return table;
    }

    /// <summary>The most named queues the dashboard lists (by name); the rest are counted.</summary>
    public const int MaxQueueRows = 10;

    private static Table Queues(IReadOnlyCollection<QueueFigures> queues, int most)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"[bold]queues[/] ({queues.Count} holding jobs)");
        table.AddColumn("queue");
        table.AddColumn(new TableColumn("pending").RightAligned());
        table.AddColumn(new TableColumn("ready").RightAligned());
        table.AddColumn(new TableColumn("delayed").RightAligned());
        table.AddColumn(new TableColumn("processing").RightAligned());
        foreach (var queue in queues.Take(most))
        {
            table.AddRow(
                Markup.Escape(queue.Name),
                MetricsText.Count(queue.Pending),
                MetricsText.Count(queue.Ready),
                MetricsText.Count(queue.Delayed),
                MetricsText.Count(queue.Processing));
        }

        if (queues.Count > most)
        {
            table.AddRow($"[grey]… {queues.Count - most} more (metrics lists them all)[/]");
        }

        return table;
    }

    private static Table Workers(QueueMetrics metrics)
    {
        var table = new Table().Border(TableBorder.Simple)
            .Title($"[bold]workers[/] ({metrics.LiveWorkers} alive of {metrics.Workers.Length})");
        table.AddColumn("name");
        table.AddColumn("state");
        table.AddColumn(new TableColumn("busy/slots").RightAligned());
        table.AddColumn(new TableColumn("utilization").RightAligned());
        table.AddColumn(new TableColumn("done").RightAligned());
        table.AddColumn(new TableColumn("failed").RightAligned());
        foreach (var worker in metrics.Workers)
        {
            table.AddRow(
                Markup.Escape(DisplayText.OneLine(worker.Name)),
                worker.Alive ? "[green]alive[/]" : "[red]lost[/]",
                $"{worker.Busy}/{worker.Slots}",
                Timestamps.Percent(worker.Utilization),
                MetricsText.Count(worker.Completed),
                MetricsText.Count(worker.Failed));
        }

        return table;
    }
}
