using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Scheduling;
using OrleansQueue.Worker.Handlers;

namespace OrleansQueue.Tests.Worker;

public sealed class SimulationHandlerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static JobContext Context(string payload, string type = "TRANSCODE_VIDEO") => Context(Encoding.UTF8.GetBytes(payload), type);

    private static JobContext Context(byte[] payload, string type = "TRANSCODE_VIDEO", Func<int, string?, Task>? progress = null) =>
        new(new LeasedJob(Guid.CreateVersion7(), type, payload, 5, 1, TimeSpan.FromMinutes(5), DateTimeOffset.UnixEpoch, 3),
            "w1", NullLogger.Instance, DateTimeOffset.UnixEpoch, progress);

    /// <summary>A context whose progress reports land in <paramref name="reports"/>, e.g. <c>25% working (25%)</c>.</summary>
    private static JobContext Reporting(string payload, Channel<string> reports) =>
        Context(Encoding.UTF8.GetBytes(payload), progress: (percent, message) =>
        {
            reports.Writer.TryWrite($"{percent}% {message}");
            return Task.CompletedTask;
        });

    private static SimulationHandler Handler(TimeProvider time) => new(time);

    [Fact]
    public async Task HandleAsync_WaitsDurationMs_ThenSucceedsWithADefaultResult()
    {
        var time = new FakeTimeProvider();
        var run = Handler(time).HandleAsync(Context("""{"durationMs":200}"""), CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(run.IsCompleted, "finished before its duration");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(Patience);

        Assert.True(result.Succeeded);
        Assert.Equal("TRANSCODE_VIDEO done in 200 ms", Encoding.UTF8.GetString(result.Result!));
    }

    [Fact]
    public async Task HandleAsync_ReturnsThePayloadsResultText()
    {
        var time = new FakeTimeProvider();
        var run = Handler(time).HandleAsync(Context("""{"durationMs":0,"result":"42 frames"}"""), CancellationToken.None);

        var result = await run.WaitAsync(Patience);

        Assert.True(result.Succeeded);
        Assert.Equal("42 frames", Encoding.UTF8.GetString(result.Result!));
    }

    [Theory]
    [InlineData("""{"durationMs":10,"fail":true}""", SimulationHandler.DefaultError)]
    [InlineData("""{"durationMs":10,"fail":true,"error":"codec not found"}""", "codec not found")]
    [InlineData("""{"durationMs":10,"fail":true,"error":""}""", SimulationHandler.DefaultError)]
    public async Task HandleAsync_FailsAfterItsDuration_WhenThePayloadSaysFail(string payload, string expectedError)
    {
        var time = new FakeTimeProvider();
        var run = Handler(time).HandleAsync(Context(payload), CancellationToken.None);

        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        var result = await run.WaitAsync(Patience);

        Assert.False(result.Succeeded);
        Assert.Equal(expectedError, result.Error);
    }

    [Theory]
    [InlineData("plain text, not JSON")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"durationMs\":")]
    [InlineData("""{"durationMs":-5}""")]
    [InlineData("""{"durationMs":"fast"}""")]
    [InlineData("""{"durationMs":1.5}""")]
    [InlineData("""{"durationMs":99999999999}""")]
    [InlineData("""{"fail":"yes"}""")]
    public async Task HandleAsync_TakesTheDefaultSecond_ForAPayloadItCannotUse(string payload)
    {
        var time = new FakeTimeProvider();
        var run = Handler(time).HandleAsync(Context(payload), CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(SimulationPayload.DefaultDurationMs - 1));
        Assert.False(run.IsCompleted, "finished before the default duration");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(Patience);

        Assert.True(result.Succeeded);
        Assert.Equal("TRANSCODE_VIDEO done in 1000 ms", Encoding.UTF8.GetString(result.Result!));
    }

    [Fact]
    public async Task HandleAsync_TakesTheDefaultSecond_ForBinaryPayloads()
    {
        var time = new FakeTimeProvider();
        byte[] payload = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'{', 0x00];
        var run = Handler(time).HandleAsync(Context(payload), CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True((await run.WaitAsync(Patience)).Succeeded);
    }

    [Fact]
    public async Task HandleAsync_StopsWithCancellation_WhenItsTokenFires()
    {
        var time = new FakeTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var run = Handler(time).HandleAsync(Context("""{"durationMs":60000}"""), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Patience));
    }

    [Fact]
    public async Task HandleAsync_KeepsRunningAndAnswersLate_WhenIgnoringCancellation()
    {
        var time = new FakeTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var run = Handler(time).HandleAsync(Context("""{"durationMs":3000,"ignoreCancellation":true,"result":"late"}"""), cancellation.Token);

        await cancellation.CancelAsync();
        time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.False(run.IsCompleted, "a hung handler must not notice its token");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(Patience);

        Assert.True(result.Succeeded);
        Assert.Equal("late", Encoding.UTF8.GetString(result.Result!));
    }

    [Fact]
    public async Task HandleAsync_ReportsTheElapsedPercent_EveryQuarterSecond_WhileItWorks()
    {
        var time = new FakeTimeProvider();
        var reports = Channel.CreateUnbounded<string>();
        var run = Handler(time).HandleAsync(Reporting("""{"durationMs":1000}""", reports), CancellationToken.None);

        var seen = new List<string>();
        for (var step = 0; step < 3; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            seen.Add(await reports.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        }

        time.Advance(TimeSpan.FromMilliseconds(250));
        var result = await run.WaitAsync(Patience);

        Assert.Equal(["25% working (25%)", "50% working (50%)", "75% working (75%)"], seen);
        Assert.True(result.Succeeded);
        Assert.False(reports.Reader.TryRead(out var extra), $"reported at the end too: {extra}");
    }

    [Fact]
    public async Task HandleAsync_ReportsAtTheIntervalThePayloadAsks()
    {
        var time = new FakeTimeProvider();
        var reports = Channel.CreateUnbounded<string>();
        var run = Handler(time).HandleAsync(Reporting("""{"durationMs":3000,"progressEveryMs":1000}""", reports), CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(reports.Reader.TryRead(out _), "reported before the interval");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var first = await reports.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        time.Advance(TimeSpan.FromMilliseconds(2000));
        await run.WaitAsync(Patience);

        Assert.Equal("33% working (33%)", first);
    }

    [Fact]
    public async Task HandleAsync_SendsNoProgress_WhenProgressEveryMsIsZero()
    {
        var time = new FakeTimeProvider();
        var reports = Channel.CreateUnbounded<string>();
        var run = Handler(time).HandleAsync(Reporting("""{"durationMs":5000,"progressEveryMs":0}""", reports), CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(5000));
        await run.WaitAsync(Patience);

        Assert.False(reports.Reader.TryRead(out var report), $"reported {report}");
    }

    [Fact]
    public async Task HandleAsync_FinishesOnTime_AndSkipsReports_WhileOneIsStillOnItsWay()
    {
        var time = new ReadCountingTimeProvider();
        var sent = 0;
        var neverAnswered = new TaskCompletionSource();
        var context = Context(Encoding.UTF8.GetBytes("""{"durationMs":1000}"""), progress: (_, _) =>
        {
            Interlocked.Increment(ref sent);
            return neverAnswered.Task; // a silo that does not answer
        });
        var run = Handler(time).HandleAsync(context, CancellationToken.None);
        await time.Reads.WaitAsync(Patience); // the start

        // Each tick makes the handler read the clock once: step in time with it, so that no tick is merged into another.
        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            Assert.True(await time.Reads.WaitAsync(Patience), $"tick {tick} not handled");
        }

        Assert.False(run.IsCompleted, "finished before its duration");
        time.Advance(TimeSpan.FromMilliseconds(250));
        var result = await run.WaitAsync(Patience);

        Assert.True(result.Succeeded);
        Assert.Equal(1, Volatile.Read(ref sent));
    }

    [Fact]
    public async Task HandleAsync_Succeeds_WhenReportingProgressThrows()
    {
        var time = new FakeTimeProvider();
        var context = Context(Encoding.UTF8.GetBytes("""{"durationMs":1000}"""),
            progress: (_, _) => throw new InvalidOperationException("the reporter is broken"));
        var run = Handler(time).HandleAsync(context, CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(500));
        time.Advance(TimeSpan.FromMilliseconds(500));
        var result = await run.WaitAsync(Patience);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task HandleAsync_NeverReportsMoreThanFourTimesASecond_WhateverThePayloadAsks()
    {
        var time = new FakeTimeProvider();
        var reports = Channel.CreateUnbounded<string>();
        var run = Handler(time).HandleAsync(Reporting("""{"durationMs":1000,"progressEveryMs":1}""", reports), CancellationToken.None);

        time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(reports.Reader.TryRead(out var early), $"reported {early} within the first quarter second");
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("25% working (25%)", await reports.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        time.Advance(TimeSpan.FromMilliseconds(750));
        await run.WaitAsync(Patience);
    }

    /// <summary>A fake clock that counts the handler's reads of its timestamp (one at the start, one per tick).</summary>
    private sealed class ReadCountingTimeProvider : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new();

        public SemaphoreSlim Reads { get; } = new(0);

        public void Advance(TimeSpan delta) => _fake.Advance(delta);

        public override long GetTimestamp()
        {
            Reads.Release();
            return _fake.GetTimestamp();
        }

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            _fake.CreateTimer(callback, state, dueTime, period);
    }
}
