using OrleansQueue.Hosting;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// How many handlers finished lately (over the last one to two <see cref="Window"/>s), and a wait for the next one to
/// finish. The worker holds jobs beyond its slots (<see cref="Hosting.WorkerOptions.Prefetch"/>) only as many as its
/// handlers finish in that time, counting only handlers that ran at most <see cref="QuickRun"/>, so a held job waits
/// about a window for its slot: short jobs are leased several at a time, while a worker whose slots are taken by long
/// jobs holds none that would wait out their deadlines (long jobs started together finish together: counted, their
/// finishes would hold as many jobs for a whole run).
/// </summary>
internal sealed class Turnover(TimeProvider time)
{
    /// <summary>The span finishes are counted over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest a handler may run for its finish to count.</summary>
    public static readonly TimeSpan QuickRun = Window * 2;

    private readonly Lock _lock = new();
    private readonly RecentCount _finished = new(time, Window);
    private TaskCompletionSource? _next;

    /// <summary>Finishes in the current window and the one before it.</summary>
    public int Recent
    {
        get
        {
            lock (_lock)
            {
                return _finished.Recent;
            }
        }
    }

    /// <summary>A job left the worker's hands: <paramref name="counted"/> when its handler returned (a finish that
    /// counts), false when it ended any other way. Either wakes <see cref="NextAsync"/>.</summary>
    public void Finished(bool counted)
    {
        TaskCompletionSource? next;
        lock (_lock)
        {
            _finished.Add(counted ? 1 : 0);
            next = _next;
            _next = null;
        }

        next?.TrySetResult();
    }

    /// <summary>Completes at the next <see cref="Finished"/> (or when <paramref name="cancellationToken"/> fires).</summary>
    public Task NextAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task.WaitAsync(cancellationToken);
        }
    }
}
