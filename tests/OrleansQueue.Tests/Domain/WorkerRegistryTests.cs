using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class WorkerRegistryTests
{
    private static WorkerId W(string name) => new(name, "i1");

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AWorkerSilentPastTheTimeout_IsDeclaredLostOnce_AndComesBackWhenItCalls()
    {
        var registry = new WorkerRegistry(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));
        registry.Touch(W("w1"), 4, T0);
        registry.Touch(W("w2"), 4, T0);
        registry.Touch(W("w2"), 4, T0.AddSeconds(8));

        Assert.Equal([W("w1")], registry.DeclareSilentLost(T0.AddSeconds(11)));
        Assert.Empty(registry.DeclareSilentLost(T0.AddSeconds(12)));
        Assert.False(registry.IsAlive(W("w1")));
        Assert.Equal(1, registry.AliveCount);

        Assert.True(registry.Touch(W("w1"), 4, T0.AddSeconds(13)));
        Assert.True(registry.IsAlive(W("w1")));
    }

    [Fact]
    public void ALostWorker_IsForgottenAfterTheRetention()
    {
        var registry = new WorkerRegistry(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));
        registry.Touch(W("w1"), 1, T0);
        registry.DeclareSilentLost(T0.AddSeconds(11));

        registry.DeclareSilentLost(T0.AddMinutes(2));

        Assert.Empty(registry.Describe(_ => 0, T0));
    }

    [Fact]
    public void LeasesAwaitingTheirReports_CountAsNoMoreThanTheWorkersSlots()
    {
        var registry = new WorkerRegistry(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));
        registry.Touch(W("w1"), 4, T0);
        registry.SampleBusy(_ => 6, T0);

        registry.SampleBusy(_ => 6, T0.AddSeconds(2));

        var worker = Assert.Single(registry.Describe(_ => 6, T0.AddSeconds(2)));
        Assert.Equal((4, 4), (worker.Busy, worker.Slots));
        Assert.Equal(8, worker.BusySlotSeconds, precision: 6);
    }
}
