using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Scheduling;
using OrleansQueue.Worker.Handlers;

namespace OrleansQueue.Tests.Worker;

public sealed class SimulationHandlerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static JobContext Context(string payload, string type = "TRANSCODE_VIDEO") => Context(Encoding.UTF8.GetBytes(payload), type);

    private static JobContext Context(byte[] payload, string type = "TRANSCODE_VIDEO") =>
        new(new LeasedJob(Guid.CreateVersion7(), type, payload, 5, 1, TimeSpan.FromMinutes(5), DateTimeOffset.UnixEpoch, 3),
            "w1", NullLogger.Instance, DateTimeOffset.UnixEpoch);

    private static SimulationHandler Handler(FakeTimeProvider time) => new(time);

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
}
