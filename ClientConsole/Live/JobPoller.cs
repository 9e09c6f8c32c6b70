using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Live;

/// <summary>Reads a job's status at a steady pace until it finishes. A person is watching, so a few reads a second
/// are plenty; the job grain serves them as read-only calls.</summary>
internal sealed class JobPoller(IJobQueue queue, Guid id, TimeProvider time, TimeSpan interval)
{
    /// <summary>The view most recently read (the first one before any read).</summary>
    public JobView? Last { get; private set; }

    /// <summary>Calls <paramref name="update"/> with <paramref name="first"/>, then with every view read, until one
    /// is finished (COMPLETED, FAILED or CANCELLED), and returns that one.</summary>
    /// <exception cref="CliException">The job no longer exists (exit 3).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<JobView> RunAsync(JobView first, Action<JobView> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);

        // One timer for the whole follow: a tick that comes while a read is under way is kept, not lost.
        using var ticks = new PeriodicTimer(interval, time);
        var job = first;
        while (true)
        {
            Last = job;
            update(job);
            if (job.Status.IsTerminal())
            {
                return job;
            }

            await ticks.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            job = await queue.GetStatusAsync(id).WaitAsync(cancellationToken).ConfigureAwait(false)
                ?? throw CliException.NotFound(id);
        }
    }
}
