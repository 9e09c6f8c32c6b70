using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class LeaseTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static LeaseRecord Lease(string worker, int attempt, TimeSpan expiresIn) =>
        new(Guid.CreateVersion7(), worker, attempt, T0, T0 + expiresIn);

    [Fact]
    public void TakeExpired_ReturnsOnlyLeasesPastTheirExpiry_AndRemovesThem()
    {
        var table = new LeaseTable();
        var soon = Lease("w1", 1, TimeSpan.FromSeconds(1));
        var later = Lease("w1", 1, TimeSpan.FromSeconds(10));
        table.Add(soon);
        table.Add(later);

        var expired = table.TakeExpired(T0.AddSeconds(2));

        Assert.Equal([soon.JobId], expired.Select(l => l.JobId));
        Assert.False(table.Contains(soon.JobId));
        Assert.True(table.Contains(later.JobId));
        Assert.Equal(T0.AddSeconds(10), table.NextExpiry());
    }

    [Fact]
    public void Confirm_SetsTheAttemptAndMovesTheExpiry()
    {
        var table = new LeaseTable();
        var lease = Lease("w1", 0, TimeSpan.FromSeconds(1));
        table.Add(lease);

        table.Confirm(lease.JobId, 3, T0.AddSeconds(30));

        Assert.Empty(table.TakeExpired(T0.AddSeconds(5)));
        Assert.Equal(3, table.Get(lease.JobId)!.Attempt);
        Assert.Single(table.TakeExpired(T0.AddSeconds(30)));
    }

    [Fact]
    public void Remove_WithAnotherAttempt_LeavesTheLeaseInPlace()
    {
        var table = new LeaseTable();
        var lease = Lease("w1", 2, TimeSpan.FromSeconds(1));
        table.Add(lease);

        Assert.Null(table.Remove(lease.JobId, 1));
        Assert.NotNull(table.Remove(lease.JobId, 2));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void TakeAllOf_ReturnsEveryLeaseOfThatWorkerOnly()
    {
        var table = new LeaseTable();
        var a = Lease("w1", 1, TimeSpan.FromSeconds(5));
        var b = Lease("w1", 1, TimeSpan.FromSeconds(5));
        var c = Lease("w2", 1, TimeSpan.FromSeconds(5));
        table.Add(a);
        table.Add(b);
        table.Add(c);

        var taken = table.TakeAllOf("w1");

        Assert.Equal(new[] { a.JobId, b.JobId }.Order(), taken.Select(l => l.JobId).Order());
        Assert.Equal(0, table.CountFor("w1"));
        Assert.Equal(1, table.CountFor("w2"));
    }

    [Fact]
    public void Add_RefusesASecondLeaseForTheSameJob()
    {
        var table = new LeaseTable();
        var lease = Lease("w1", 1, TimeSpan.FromSeconds(5));
        table.Add(lease);

        Assert.Throws<InvalidOperationException>(() => table.Add(lease with { Worker = "w2" }));
    }
}
