using OrleansQueue.Worker.Handlers;

namespace OrleansQueue.Tests.Worker.Fakes;

/// <summary>Succeeds at once with the payload text as the result.</summary>
internal sealed class EchoHandler : IJobHandler
{
    public Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
        Task.FromResult(JobResult.Success($"echo {context.PayloadText}"));
}

/// <summary>Fails at once with the payload text as the error.</summary>
internal sealed class RefusingHandler : IJobHandler
{
    public Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
        Task.FromResult(JobResult.Failure($"refused {context.PayloadText}"));
}

internal sealed class ThrowingHandler : IJobHandler
{
    public Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the disk is full");
}

/// <summary>Runs until its token fires, then lets the cancellation escape, as a well-behaved handler does.</summary>
internal sealed class UntilCancelledHandler : IJobHandler
{
    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return JobResult.Success();
    }
}

/// <summary>Throws a cancellation of its own (an upstream call timed out), not the worker's.</summary>
internal sealed class OwnCancellationHandler : IJobHandler
{
    public Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
        throw new OperationCanceledException("the upstream call timed out");
}

/// <summary>Reports 50% and 100% progress, then succeeds.</summary>
internal sealed class ProgressHandler : IJobHandler
{
    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        await context.ReportProgressAsync(50, "half way");
        await context.ReportProgressAsync(140);
        return JobResult.Success();
    }
}

/// <summary>Runs until the test opens the gate its payload names (<see cref="Open"/>), then succeeds.</summary>
internal sealed class GateHandler : IJobHandler
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static void Open(string gate) => Of(gate).TrySetResult();

    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        await Of(context.PayloadText).Task.WaitAsync(cancellationToken);
        return JobResult.Success();
    }

    private static TaskCompletionSource Of(string gate) =>
        Gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Sets its job aside with the payload as the reason.</summary>
internal sealed class BuryingHandler : IJobHandler
{
    public Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.Bury(context.PayloadText));
}

/// <summary>Works for the milliseconds its payload gives, touching its attempt every 300 ms, then succeeds with how many
/// touches the schedule accepted.</summary>
internal sealed class TouchingHandler(TimeProvider time) : IJobHandler
{
    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + TimeSpan.FromMilliseconds(int.Parse(context.PayloadText, System.Globalization.CultureInfo.InvariantCulture));
        var accepted = 0;
        while (time.GetUtcNow() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken);
            accepted += await context.TouchAsync() ? 1 : 0;
        }

        return JobResult.Success($"touched {accepted}");
    }
}
