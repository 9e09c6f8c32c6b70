using System.Text.Json;
using OrleansQueue.Cli.Bench;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli.Bench;

/// <summary>W1's figures: the rate, and the client's own CPU over the measured window (which the benchmark script
/// divides by the jobs, as the peers' programs count theirs).</summary>
public sealed class SubmitBenchmarkTests
{
    [Fact]
    public async Task Batched_ReportsTheCpuTheClientSpentInsideTheWindow()
    {
        var burn = TimeSpan.FromMilliseconds(60);
        var queue = new FakeJobQueue { DuringSubmitMany = () => Spin(burn) };

        var result = await SubmitBenchmark.RunAsync(queue, 10, 1, 5, 100, null, 1, TimeProvider.System, CancellationToken.None);

        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal(10, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(5, json.RootElement.GetProperty("batch").GetInt32());
        Assert.True(json.RootElement.GetProperty("ratePerSecond").GetDouble() > 0);
        Assert.InRange(json.RootElement.GetProperty("cpuSeconds").GetDouble(), burn.TotalSeconds * 0.95, double.MaxValue);
    }

    /// <summary>Spends <paramref name="cpu"/> of this process's CPU on the calling thread.</summary>
    private static void Spin(TimeSpan cpu)
    {
        var until = Environment.CpuUsage.TotalTime + cpu;
        while (Environment.CpuUsage.TotalTime < until)
        {
            Thread.SpinWait(1000);
        }
    }
}
