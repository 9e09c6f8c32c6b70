using System.Collections.Immutable;
using System.Threading.Channels;
using OrleansQueue.Client;
using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Domain;

/// <summary>The group commit of calls that carry many items: the gateway's puts and reports, and a worker host's reports.</summary>
public sealed class CallBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReportsThatComeDuringAReport_GoTogetherInTheNext_EachWithItsOwnReply()
    {
        var calls = Channel.CreateUnbounded<(ImmutableArray<AttemptReport> Reports, TaskCompletionSource<ImmutableArray<ReportReply?>> Reply)>();
        var batcher = new CallBatcher<AttemptReport, ReportReply?>(reports =>
        {
            var reply = new TaskCompletionSource<ImmutableArray<ReportReply?>>(TaskCreationOptions.RunContinuationsAsynchronously);
            calls.Writer.TryWrite((reports, reply));
            return reply.Task;
        }, IReportGrain.MaxBatch);
        static AttemptReport Report(AttemptReportKind kind) => new(Guid.CreateVersion7(), 1, kind);
        static ReportReply Reply(ReportResult result) => new(result, JobStatus.Completed, 1, "");
        using var timeout = new CancellationTokenSource(Patience);

        var first = batcher.SendAllAsync([Report(AttemptReportKind.Complete)]);
        var call = await calls.Reader.ReadAsync(timeout.Token);
        Assert.Single(call.Reports);
        var release = batcher.SendAllAsync([Report(AttemptReportKind.Release)]);
        var bury = batcher.SendAllAsync([Report(AttemptReportKind.Bury)]);
        call.Reply.SetResult([Reply(ReportResult.Accepted)]);
        Assert.Equal(ReportResult.Accepted, (await first.WaitAsync(Patience))[0]!.Result);

        var batch = await calls.Reader.ReadAsync(timeout.Token);
        Assert.Equal([AttemptReportKind.Release, AttemptReportKind.Bury], batch.Reports.Select(r => r.Kind));
        batch.Reply.SetResult([Reply(ReportResult.StaleAttempt), null]);
        Assert.Equal(ReportResult.StaleAttempt, (await release.WaitAsync(Patience))[0]!.Result);
        Assert.Null((await bury.WaitAsync(Patience))[0]);

        var failing = batcher.SendAllAsync([Report(AttemptReportKind.Complete)]);
        (await calls.Reader.ReadAsync(timeout.Token)).Reply.SetException(new TimeoutException("lost"));
        await Assert.ThrowsAsync<TimeoutException>(() => failing.WaitAsync(Patience));
    }

    [Fact]
    public async Task WithSeveralCallsInFlight_EachIdleSenderTakesAnItemAtOnce_AndTheRestGoTogetherAfterThem()
    {
        var calls = Channel.CreateUnbounded<(ImmutableArray<int> Items, TaskCompletionSource<ImmutableArray<int>> Reply)>();
        var batcher = new CallBatcher<int, int>(items =>
        {
            var reply = new TaskCompletionSource<ImmutableArray<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
            calls.Writer.TryWrite((items, reply));
            return reply.Task;
        }, maxBatch: 100, maxInFlight: 3);
        using var timeout = new CancellationTokenSource(Patience);

        var first = Enumerable.Range(1, 3).Select(batcher.SendAsync).ToList();
        var parked = new List<(ImmutableArray<int> Items, TaskCompletionSource<ImmutableArray<int>> Reply)>();
        for (var i = 0; i < 3; i++)
        {
            parked.Add(await calls.Reader.ReadAsync(timeout.Token));
        }

        Assert.Equal([[1], [2], [3]], parked.Select(c => c.Items.ToArray()));
        var rest = Enumerable.Range(4, 5).Select(batcher.SendAsync).ToList();
        Assert.False(calls.Reader.TryRead(out _), "a fourth call went out while three were under way");

        parked.ForEach(c => c.Reply.SetResult([.. c.Items.Select(x => x * 10)]));
        var firstReplies = await Task.WhenAll(first).WaitAsync(Patience);
        Assert.Equal([10, 20, 30], firstReplies);
        var next = await calls.Reader.ReadAsync(timeout.Token);
        Assert.Equal([4, 5, 6, 7, 8], next.Items.ToArray());
        next.Reply.SetResult([.. next.Items.Select(x => x * 10)]);
        var restReplies = await Task.WhenAll(rest).WaitAsync(Patience);
        Assert.Equal([40, 50, 60, 70, 80], restReplies);
    }
}
