using OrleansQueue.Cli.Commands;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Cli.Output;
using OrleansQueue.Jobs;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Live;

/// <summary>
/// <c>submit --wait</c> and <c>status --watch</c>: follows a job until it finishes, live on a terminal or as one plain
/// line per step when stdout is redirected, then prints its result (exit 0) or its error on stderr (exit 5). The
/// wait can be bounded (<c>--wait-timeout</c>, exit 6) or ended with Ctrl-C (exit 130); the job goes on either way.
/// </summary>
internal static class JobFollow
{
    /// <summary>A person is watching: four reads a second feel live and cost the job grain little.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="first">The job as last read (by the submit or the status call).</param>
    /// <param name="timeout">Give up after this long; null waits until the job finishes.</param>
    /// <param name="json">Print the finished job as JSON instead of its result, and no plain steps before it.</param>
    /// <returns>The exit code: <see cref="ExitCodes.Success"/> when the job COMPLETED.</returns>
    /// <exception cref="CliException">The job FAILED or was CANCELLED, the timeout passed, Ctrl-C was pressed, or the
    /// job disappeared.</exception>
    public static async Task<int> RunAsync(
        CliContext context, IJobQueue queue, JobView first, TimeSpan? timeout, bool json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(first);
        var id = JobId.Format(first.Id);
        var poller = new JobPoller(queue, first.Id, context.Time, PollInterval);

        using var ctrlC = CtrlC.Catch(cancellationToken);
        using var deadline = new CancellationTokenSource(timeout ?? Timeout.InfiniteTimeSpan, context.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctrlC.Token, deadline.Token);
        JobView job;
        try
        {
            job = context.Terminal is { } terminal
                ? await JobProgressView.FollowAsync(terminal, poller, first, clear: json, stop.Token).ConfigureAwait(false)
                : await poller.RunAsync(first, PlainSteps(context, json), stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctrlC.Token.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Interrupted,
                $"stopped following job {id} ({Status(poller)}); it goes on: follow it again with 'status {id} --watch'");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && timeout is { } waited)
        {
            throw new CliException(ExitCodes.WaitTimedOut,
                $"job {id} is still {Status(poller)} after {Timestamps.Seconds(waited)} s (--wait-timeout); it goes on: " +
                $"follow it again with 'status {id} --watch'");
        }

        return Finish(context, job, json);
    }

    /// <summary>Prints a line whenever the status, the attempt or the percent changes, and flushes it, so a script
    /// reading the pipe sees each step when it happens.</summary>
    private static Action<JobView> PlainSteps(CliContext context, bool json)
    {
        FollowState? shown = null;
        return job =>
        {
            var state = FollowState.Of(job);
            if (json || state.IsSameStepAs(shown))
            {
                return;
            }

            shown = state;
            context.Output.WriteLine(FollowText.Line(context.Time.GetUtcNow(), state));
            context.Output.Flush();
        };
    }

    private static int Finish(CliContext context, JobView job, bool json)
    {
        if (json)
        {
            context.Output.WriteLine(JsonOutput.Job(job));
        }

        var id = JobId.Format(job.Id);
        switch (job.Status)
        {
            case JobStatus.Completed:
                if (!json && JobText.ResultText(job) is { } text)
                {
                    var result = DisplayText.Escape(text);
                    context.Output.Write(result);
                    if (!result.EndsWith('\n'))
                    {
                        context.Output.WriteLine();
                    }
                }

                return ExitCodes.Success;
            case JobStatus.Cancelled:
                throw new CliException(ExitCodes.JobFailed, job.Error is { } reason ? $"job {id} was CANCELLED: {reason}" : $"job {id} was CANCELLED");
            default:
                throw new CliException(ExitCodes.JobFailed, $"job {id} FAILED: {job.Error ?? "no error was recorded"}");
        }
    }

    private static string Status(JobPoller poller) => poller.Last?.Status.ToWireName() ?? "unknown";
}
