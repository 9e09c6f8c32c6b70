using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Client;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Silo.Beanstalk.Jobs;

namespace OrleansQueue.Tests.Beanstalk;

/// <summary>The gateway's coalescing of reserves into lease calls and of reservation ends into report batches, against
/// lease and report calls the test answers by hand.</summary>
public sealed class ReserveBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly string[] Tubes = ["default"];

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly Channel<LeaseRequest> _leases = Channel.CreateUnbounded<LeaseRequest>();
    private readonly Channel<LeasedJob> _handedBack = Channel.CreateUnbounded<LeasedJob>();
    private readonly Channel<(int Shard, string[] Queues)> _ended = Channel.CreateUnbounded<(int, string[])>();

    private sealed record LeaseRequest(int Shard, int Max, TimeSpan Wait, string[] Queues)
    {
        public TaskCompletionSource<ImmutableArray<LeasedJob>> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private ReserveBatcher Batcher(int shards = 1) => new(
        (shard, max, wait, queues) =>
        {
            var request = new LeaseRequest(shard, max, wait, queues);
            _leases.Writer.TryWrite(request);
            return request.Reply.Task;
        },
        (shard, queues) =>
        {
            _ended.Writer.TryWrite((shard, queues));
            return Task.CompletedTask;
        },
        jobs =>
        {
            foreach (var job in jobs)
            {
                _handedBack.Writer.TryWrite(job);
            }

            return Task.CompletedTask;
        },
        shards,
        TimeSpan.FromSeconds(20),
        1000,
        _time,
        NullLogger.Instance);

    private async Task<LeaseRequest> NextLeaseAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _leases.Reader.ReadAsync(timeout.Token);
    }

    private static LeasedJob Job(int i) =>
        new(Guid.CreateVersion7(), "BEANSTALK", [(byte)i], i, 1, TimeSpan.FromSeconds(60), DateTimeOffset.UnixEpoch, 3);

    [Fact]
    public async Task ReservesThatComeDuringALease_ShareTheNextOne_AndGetTheJobsInTheOrderTheyCame()
    {
        var batcher = Batcher();
        var first = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None);
        var call = await NextLeaseAsync();
        Assert.Equal((1, TimeSpan.Zero), (call.Max, call.Wait));

        var others = Enumerable.Range(0, 3).Select(_ => batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None)).ToList();
        var a = Job(1);
        call.Reply.SetResult([a]);
        Assert.Same(a, await first.WaitAsync(Patience));

        var shared = await NextLeaseAsync();
        Assert.Equal((3, TimeSpan.Zero), (shared.Max, shared.Wait));
        ImmutableArray<LeasedJob> jobs = [Job(2), Job(3), Job(4)];
        shared.Reply.SetResult(jobs);
        Assert.Equal(jobs, await Task.WhenAll(others).WaitAsync(Patience));
        Assert.False(_leases.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ReserveWithTimeoutZero_IsOneImmediateLease_ThenNoJob()
    {
        var batcher = Batcher();
        var take = batcher.TakeAsync(Tubes, _time.GetUtcNow(), CancellationToken.None);
        var call = await NextLeaseAsync();
        call.Reply.SetResult([]);

        Assert.Null(await take.WaitAsync(Patience));
        Assert.Equal(TimeSpan.Zero, call.Wait);
        Assert.False(_leases.Reader.TryRead(out _));
    }

    [Fact]
    public async Task AReserveNoJobWasReadyFor_WaitsInALongPoll_UntilItsTimeout()
    {
        var batcher = Batcher();
        var take = batcher.TakeAsync(Tubes, _time.GetUtcNow() + TimeSpan.FromSeconds(5), CancellationToken.None);
        (await NextLeaseAsync()).Reply.SetResult([]);

        var poll = await NextLeaseAsync();
        Assert.Equal((1, TimeSpan.FromSeconds(5)), (poll.Max, poll.Wait));
        var job = Job(1);
        poll.Reply.SetResult([job]);
        Assert.Same(job, await take.WaitAsync(Patience));

        var late = batcher.TakeAsync(Tubes, _time.GetUtcNow() + TimeSpan.FromSeconds(5), CancellationToken.None);
        (await NextLeaseAsync()).Reply.SetResult([]);
        var second = await NextLeaseAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await late.WaitAsync(Patience));

        // Its poll brings a job after all: nobody waits for it, so it goes back at once.
        var orphan = Job(2);
        second.Reply.SetResult([orphan]);
        Assert.Same(orphan, await NextHandedBackAsync());
    }

    [Fact]
    public async Task AReserveWhoseClientLeft_IsCancelled_AndItsJobHandedBack()
    {
        var batcher = Batcher();
        using var gone = new CancellationTokenSource();
        var take = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, gone.Token);
        var call = await NextLeaseAsync();
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take.WaitAsync(Patience));

        var job = Job(1);
        call.Reply.SetResult([job]);
        Assert.Same(job, await NextHandedBackAsync());
    }

    [Fact]
    public async Task WhenTheLastParkedReserveLeaves_ItsLongPollIsEnded_AndAJobItTookInThatInstantIsHandedBack()
    {
        // The poll went on and took the next job put, for nobody. Then it was cancelled, but a cancelled call's answer is
        // dropped: a job it took in the instant of the cancel (a tube unpaused right after the reserve timed out) sat on
        // a lease nobody had for the orphan grace, 10 s.
        var batcher = Batcher();
        using var gone = new CancellationTokenSource();
        var take = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, gone.Token);
        (await NextLeaseAsync()).Reply.SetResult([]);
        var poll = await NextLeaseAsync();
        Assert.False(_ended.Reader.TryRead(out _));

        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take.WaitAsync(Patience));
        using var timeout = new CancellationTokenSource(Patience);
        var (shard, queues) = await _ended.Reader.ReadAsync(timeout.Token);
        Assert.Equal(0, shard);
        Assert.Equal(Tubes, queues);
        var job = Job(1);
        poll.Reply.SetResult([job]);
        Assert.Same(job, await NextHandedBackAsync());
        Assert.False(_leases.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ReservesOfOtherTubes_LeaseApart()
    {
        var batcher = Batcher();
        var a = batcher.TakeAsync(["a"], DateTimeOffset.MaxValue, CancellationToken.None);
        var b = batcher.TakeAsync(["b", "c"], DateTimeOffset.MaxValue, CancellationToken.None);
        var calls = new[] { await NextLeaseAsync(), await NextLeaseAsync() }.OrderBy(c => c.Queues.Length).ToList();
        Assert.Equal(["a"], calls[0].Queues);
        Assert.Equal(["b", "c"], calls[1].Queues);
        calls[0].Reply.SetResult([Job(1)]);
        calls[1].Reply.SetResult([Job(2)]);
        Assert.Equal([1, 2], (await Task.WhenAll(a, b).WaitAsync(Patience)).Select(j => (int)j!.Priority));
    }

    [Fact]
    public async Task WithSeveralShards_TheRoundAsksTheNextShard_ForTheReservesStillWaiting()
    {
        var batcher = Batcher(shards: 2);
        var first = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None);
        var call = await NextLeaseAsync();
        var second = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None);
        call.Reply.SetResult([]);
        var next = await NextLeaseAsync();
        Assert.Equal((1, 2), (next.Shard, next.Max));
        next.Reply.SetResult([Job(1)]);
        Assert.Equal(1, (await first.WaitAsync(Patience))!.Priority);

        var round = await NextLeaseAsync();
        Assert.Equal((0, 1, TimeSpan.Zero), (round.Shard, round.Max, round.Wait));
        round.Reply.SetResult([Job(2)]);
        Assert.Equal(2, (await second.WaitAsync(Patience))!.Priority);
    }

    /// <summary>Serves <see cref="ReserveBatcher.PrefetchFrom"/> reserves one lease each, so the group counts as
    /// busy; then a reserve whose round leases ahead: it gets the first of <paramref name="jobs"/>, the rest are held.</summary>
    private async Task<LeasedJob?> ServeUntilBusyThenLeaseAheadAsync(ReserveBatcher batcher, ImmutableArray<LeasedJob> jobs)
    {
        for (var i = 0; i < ReserveBatcher.PrefetchFrom; i++)
        {
            var take = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None);
            var call = await NextLeaseAsync();
            Assert.Equal(1, call.Max);
            call.Reply.SetResult([Job(100 + i)]);
            await take.WaitAsync(Patience);
        }

        var next = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None);
        var ahead = await NextLeaseAsync();
        Assert.Equal(1 + ReserveBatcher.PrefetchFrom, ahead.Max);
        ahead.Reply.SetResult(jobs);
        return await next.WaitAsync(Patience);
    }

    [Fact]
    public async Task UnderLoad_ARoundLeasesAhead_TheNextReservesTakeHeldJobsWithoutACall_AndAHigherPriorityJobSendsThemBack()
    {
        var batcher = Batcher();
        ImmutableArray<LeasedJob> jobs = [.. Enumerable.Range(10, 1 + ReserveBatcher.PrefetchFrom).Select(Job)];
        Assert.Same(jobs[0], await ServeUntilBusyThenLeaseAheadAsync(batcher, jobs));

        Assert.Same(jobs[1], await batcher.TakeAsync(Tubes, _time.GetUtcNow(), CancellationToken.None).WaitAsync(Patience));
        Assert.False(_leases.Reader.TryRead(out _));

        // A job of priority 15 was put: held jobs after it go back; the others stay until a command looks at jobs.
        await batcher.Readied("default", 15);
        var after = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            after.Add((await NextHandedBackAsync()).Priority);
        }

        Assert.Equal([16L, 17L, 18L], after);
        await batcher.Readied("other", 0);
        Assert.False(_handedBack.Reader.TryRead(out _));
        await batcher.HandBackHeldAsync();
        Assert.Equal([12, 13, 14, 15], Enumerable.Range(0, 4).Select(_ => _handedBack.Reader.TryRead(out var j) ? (int)j.Priority : -1));
    }

    [Fact]
    public async Task HeldJobsOfOnePriority_AreServedInTheOrderTheyWereLeased()
    {
        var batcher = Batcher();
        // Busy enough to hold the most it may (more than 16: List.Sort is an insertion sort, stable, below that).
        for (var i = 0; i < ReserveBatcher.MaxHeld; i++)
        {
            var take = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None);
            (await NextLeaseAsync()).Reply.SetResult([Job(100 + i)]);
            await take.WaitAsync(Patience);
        }

        // Then a round leases ahead, all of one priority: they must come out in lease order (FIFO within a priority).
        var next = batcher.TakeAsync(Tubes, DateTimeOffset.MaxValue, CancellationToken.None);
        var ahead = await NextLeaseAsync();
        Assert.Equal(1 + ReserveBatcher.MaxHeld, ahead.Max);
        ImmutableArray<LeasedJob> jobs = [.. Enumerable.Range(0, ahead.Max).Select(i => Job(i) with { Priority = 7 })];
        ahead.Reply.SetResult(jobs);
        var served = new List<LeasedJob?> { await next.WaitAsync(Patience) };
        for (var i = 1; i < jobs.Length; i++)
        {
            served.Add(await batcher.TakeAsync(Tubes, _time.GetUtcNow(), CancellationToken.None).WaitAsync(Patience));
        }

        Assert.Equal<LeasedJob?>(jobs, served);
        Assert.False(_leases.Reader.TryRead(out _));
    }

    [Fact]
    public async Task AHeldJob_GoesBack_OnceHeldForTheHoldLimit()
    {
        var batcher = Batcher();
        ImmutableArray<LeasedJob> jobs = [Job(1), Job(2)];
        Assert.Same(jobs[0], await ServeUntilBusyThenLeaseAheadAsync(batcher, jobs));
        Assert.False(_handedBack.Reader.TryRead(out _));

        _time.Advance(ReserveBatcher.HoldLimit);
        Assert.Same(jobs[1], await NextHandedBackAsync());
    }

    private async Task<LeasedJob> NextHandedBackAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await _handedBack.Reader.ReadAsync(timeout.Token);
    }
}
