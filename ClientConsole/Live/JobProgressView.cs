using OrleansQueue.Jobs;
using Spectre.Console;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Live;

/// <summary>Follows a job on the terminal: one line with a spinner, the job's type, status, attempt and latest
/// message, a progress bar with its percent, and the time spent following. The bar is indeterminate until the
/// handler reports a percent.</summary>
internal static class JobProgressView
{
    /// <param name="clear">Erase the line at the end (when JSON follows), rather than leaving its final state.</param>
    public static Task<JobView> FollowAsync(IAnsiConsole terminal, JobPoller poller, JobView first, bool clear, CancellationToken cancellationToken) =>
        terminal.Progress()
            .AutoClear(clear)
            .HideCompleted(false)
            .Columns(
                new SpinnerColumn { CompletedText = " " },
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Describe(first), maxValue: 100);
                var job = await poller.RunAsync(first, view => Show(task, view), cancellationToken).ConfigureAwait(false);
                progress.Refresh();
                return job;
            });

    private static void Show(ProgressTask task, JobView job)
    {
        var state = FollowState.Of(job);
        task.Description = Describe(job);
        task.IsIndeterminate = state.Percent is null && !job.Status.IsTerminal();
        task.Value = state.Percent ?? (job.Status.IsTerminal() ? task.Value : 0);
        if (job.Status.IsTerminal())
        {
            task.StopTask();
        }
    }

    /// <summary>E.g. <c>TRANSCODE_VIDEO  PROCESSING  attempt 1  working (40%)</c>, in markup.</summary>
    public static string Describe(JobView job)
    {
        var state = FollowState.Of(job);
        var color = job.Status switch
        {
            JobStatus.Pending or JobStatus.Delayed => "grey",
            JobStatus.Processing => "yellow",
            JobStatus.Completed => "green",
            _ => "red",
        };
        var text = $"{Markup.Escape(DisplayText.OneLine(job.Type))}  [{color}]{job.Status.ToWireName()}[/]";
        if (state.Attempt > 0)
        {
            text += job.Status.IsPending() ? $"  after attempt {state.Attempt}" : $"  attempt {state.Attempt}";
        }

        if (!string.IsNullOrWhiteSpace(state.Message))
        {
            text += "  " + Markup.Escape(Output.JobText.OneLine(state.Message));
        }

        return text;
    }
}
