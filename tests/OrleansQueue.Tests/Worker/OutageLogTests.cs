using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Worker.Running;

namespace OrleansQueue.Tests.Worker;

public sealed class OutageLogTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Failed_LogsTheFirstFailure_ThenOnePerStep_EachStepTwiceTheLast()
    {
        var time = new FakeTimeProvider();
        var outage = new OutageLog(time);
        var logged = new List<TimeSpan>();
        var start = time.GetUtcNow();

        // Eight loops failing every 50 ms for 10 s.
        for (var tick = 0; tick < 200; tick++)
        {
            for (var loop = 0; loop < 8; loop++)
            {
                if (outage.Failed(Delay) is not null)
                {
                    logged.Add(time.GetUtcNow() - start);
                }
            }

            time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal([0, 250, 750, 1750, 3750, 7750], logged.Select(t => (int)t.TotalMilliseconds));
    }

    [Fact]
    public void Failed_NeverWaitsLongerThanTheMaxStep()
    {
        var time = new FakeTimeProvider();
        var outage = new OutageLog(time);
        var last = time.GetUtcNow();
        var longest = TimeSpan.Zero;

        for (var second = 0; second < 600; second++)
        {
            if (outage.Failed(TimeSpan.FromSeconds(5)) is not null)
            {
                longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (time.GetUtcNow() - last).Ticks));
                last = time.GetUtcNow();
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(OutageLog.MaxStep, longest);
    }

    [Fact]
    public void Succeeded_EndsTheOutage_SoTheNextFailureIsLoggedAtOnce()
    {
        var time = new FakeTimeProvider();
        var outage = new OutageLog(time);
        Assert.Equal(Delay, outage.Failed(Delay));
        Assert.Null(outage.Failed(Delay));

        Assert.True(outage.Succeeded());
        Assert.False(outage.Succeeded());
        Assert.Equal(Delay, outage.Failed(Delay));
    }
}
