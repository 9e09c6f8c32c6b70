using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class LeaseTableTests
{
    private static WorkerId W(string name) => new(name, "i1");

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static LeaseRecord Lease(WorkerId worker, int attempt, TimeSpan expiresIn) =>
        new(Guid.CreateVersion7(), worker, attempt, T0, T0 + expiresIn);

    [Fact]
    public void TakeExpired_ReturnsOnlyLeasesPastTheirExpiry_AndRemovesThem()
    {
        var table = new LeaseTable();
        var soon = Lease(W("w1"), 1, TimeSpan.FromSeconds(1));
        var later = Lease(W("w1"), 1, TimeSpan.FromSeconds(10));
        table.Add(soon);
        table.Add(later);

        var expired = table.TakeExpired(T0.AddSeconds(2));

        Assert.Equal([soon.JobId], expired.Select(l => l.JobId));
        Assert.False(table.Contains(soon.JobId));
        Assert.True(table.Contains(later.JobId));
        Assert.Equal(T0.AddSeconds(10), table.NextExpiry());
    }

    [Fact]
    public void RemoveIfCurrent_RemovesOnlyThatVeryLease_NotALaterOneOfTheSameJob()
    {
        var table = new LeaseTable();
        var first = Lease(W("w1"), 1, TimeSpan.FromSeconds(10));
        table.Add(first);
        Assert.True(table.RemoveIfCurrent(first));
        var later = first with { Attempt = 2 };
        table.Add(later);

        Assert.False(table.IsCurrent(first));
        Assert.False(table.RemoveIfCurrent(first));
        Assert.True(table.IsCurrent(later));
        Assert.Equal(2, table.Get(first.JobId)!.Attempt);
    }

    [Fact]
    public void APostponedOrExtendedLease_IsStillTheSameLease()
    {
        var table = new LeaseTable();
        var lease = Lease(W("w1"), 1, TimeSpan.FromSeconds(10));
        table.Add(lease);

        table.Postpone(TimeSpan.FromSeconds(7));
        Assert.True(table.IsCurrent(lease));
        Assert.True(table.Extend(lease.JobId, 1, W("w1"), T0.AddSeconds(30)));
        Assert.True(table.IsCurrent(lease));
        Assert.False(table.IsCurrent(lease with { LeasedAt = T0.AddSeconds(1) }));
        Assert.False(table.IsCurrent(lease with { Worker = W("w2") }));

        Assert.True(table.RemoveIfCurrent(lease));
        Assert.False(table.Contains(lease.JobId));
        Assert.Null(table.NextExpiry());
    }

    [Fact]
    public void Remove_WithAnotherAttempt_LeavesTheLeaseInPlace()
    {
        var table = new LeaseTable();
        var lease = Lease(W("w1"), 2, TimeSpan.FromSeconds(1));
        table.Add(lease);

        Assert.Null(table.Remove(lease.JobId, 1));
        Assert.NotNull(table.Remove(lease.JobId, 2));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void TakeAllOf_ReturnsEveryLeaseOfThatWorkerOnly()
    {
        var table = new LeaseTable();
        var a = Lease(W("w1"), 1, TimeSpan.FromSeconds(5));
        var b = Lease(W("w1"), 1, TimeSpan.FromSeconds(5));
        var c = Lease(W("w2"), 1, TimeSpan.FromSeconds(5));
        table.Add(a);
        table.Add(b);
        table.Add(c);

        var taken = table.TakeAllOf(W("w1"));

        Assert.Equal(new[] { a.JobId, b.JobId }.Order(), taken.Select(l => l.JobId).Order());
        Assert.Equal(0, table.CountFor(W("w1")));
        Assert.Equal(1, table.CountFor(W("w2")));
    }

    [Fact]
    public void Add_RefusesASecondLeaseForTheSameJob()
    {
        var table = new LeaseTable();
        var lease = Lease(W("w1"), 1, TimeSpan.FromSeconds(5));
        table.Add(lease);

        Assert.Throws<InvalidOperationException>(() => table.Add(lease with { Worker = W("w2") }));
    }

    [Fact]
    public void Extend_MovesTheExpiry_OfTheWorkersOwnLeaseOnly_AndKeepsItsLeaseTime()
    {
        var table = new LeaseTable();
        var lease = Lease(W("w1"), 2, TimeSpan.FromSeconds(5));
        table.Add(lease);

        Assert.False(table.Extend(lease.JobId, 2, W("w2"), T0.AddSeconds(30)));
        Assert.False(table.Extend(lease.JobId, 1, W("w1"), T0.AddSeconds(30)));
        Assert.False(table.Extend(Guid.CreateVersion7(), 2, W("w1"), T0.AddSeconds(30)));
        Assert.True(table.Extend(lease.JobId, 2, W("w1"), T0.AddSeconds(30)));

        Assert.Empty(table.TakeExpired(T0.AddSeconds(10)));
        Assert.Equal(T0.AddSeconds(30), table.NextExpiry());
        Assert.Equal(T0, table.Get(lease.JobId)!.LeasedAt);
        Assert.Equal([lease.JobId], table.TakeExpired(T0.AddSeconds(30)).Select(l => l.JobId));
    }
}
