using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class PendingIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PendingIndex CreateIndex(TimeSpan? agingStep = null) => new(agingStep ?? TimeSpan.Zero);

    private static QueueEntry Entry(long priority, DateTimeOffset? at = null, DateTimeOffset? notBefore = null) =>
        new(Guid.CreateVersion7(), priority, at ?? T0, TimeSpan.FromMinutes(5), notBefore);

    [Fact]
    public void Take_ReturnsMostImportantPriorityFirst_AndFifoWithinAPriority()
    {
        var index = CreateIndex();
        var low1 = Entry(7, T0);
        var high1 = Entry(0, T0.AddMilliseconds(1));
        var low2 = Entry(7, T0.AddMilliseconds(2));
        var mid = Entry(3, T0.AddMilliseconds(3));
        var high2 = Entry(0, T0.AddMilliseconds(4));
        foreach (var e in new[] { low1, high1, low2, mid, high2 })
        {
            index.Add(e, T0);
        }

        var order = index.Take(QueueNames.DefaultOnly, 10, T0.AddMilliseconds(5)).Select(e => e.JobId).ToList();

        Assert.Equal([high1.JobId, high2.JobId, mid.JobId, low1.JobId, low2.JobId], order);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void AnEntryBackWithItsEarlierEnqueueTime_IsTakenBeforeThoseEnqueuedAfterIt_InEnqueueOrder()
    {
        // Four jobs of one priority are leased two at a time; the lease of the first two is handed back unstarted
        // (a prefetch), in the reverse order, while a fifth arrives: they are taken first, in the order they came.
        var index = CreateIndex();
        var jobs = Enumerable.Range(0, 4).Select(i => Entry(5, T0.AddMilliseconds(i))).ToList();
        jobs.ForEach(e => index.Add(e, T0));
        var leased = index.Take(QueueNames.DefaultOnly, 2, T0.AddSeconds(1));
        var late = Entry(5, T0.AddSeconds(2));
        index.Add(late, T0.AddSeconds(2));
        index.Add(leased[1], T0.AddSeconds(3), keepPlace: true);
        index.Add(leased[0], T0.AddSeconds(3), keepPlace: true);

        var order = index.Take(QueueNames.DefaultOnly, 10, T0.AddSeconds(4)).Select(e => e.JobId).ToList();

        Assert.Equal([jobs[0].JobId, jobs[1].JobId, jobs[2].JobId, jobs[3].JobId, late.JobId], order);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void EntriesNotBackFromALease_JoinTheBack_InArrivalOrder_WhateverTheirEnqueueTimes()
    {
        // A batch's jobs are stamped by their own grains, not in the batch's order: the order is the batch's.
        var index = CreateIndex();
        var later = Entry(5, T0.AddMilliseconds(2));
        var earlier = Entry(5, T0.AddMilliseconds(1));
        index.Add(later, T0);
        index.Add(earlier, T0);

        Assert.Equal([later.JobId, earlier.JobId], index.Take(QueueNames.DefaultOnly, 2, T0).Select(e => e.JobId));
    }

    [Fact]
    public void Snapshot_ListsAnEntryBackInItsPlace()
    {
        var index = CreateIndex();
        var first = Entry(5, T0);
        var second = Entry(5, T0.AddMilliseconds(1));
        index.Add(first, T0);
        index.Add(second, T0);
        var leased = Assert.Single(index.Take(QueueNames.DefaultOnly, 1, T0));
        index.Add(leased, T0.AddSeconds(1), keepPlace: true);

        Assert.Equal([first.JobId, second.JobId], index.Snapshot().Select(e => e.JobId));
        Assert.Equal(first.JobId, index.PeekReady(QueueNames.Default, T0.AddSeconds(1))!.JobId);
    }

    [Fact]
    public void Take_RespectsMax()
    {
        var index = CreateIndex();
        for (var i = 0; i < 5; i++)
        {
            index.Add(Entry(5), T0);
        }

        Assert.Equal(3, index.Take(QueueNames.DefaultOnly, 3, T0).Count);
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Add_RefusesAJobAlreadyQueued()
    {
        var index = CreateIndex();
        var entry = Entry(1);

        Assert.True(index.Add(entry, T0));
        Assert.False(index.Add(entry with { Priority = 0 }, T0));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Remove_DropsTheJob_SoItIsNeverTaken()
    {
        var index = CreateIndex();
        var a = Entry(1);
        var b = Entry(1);
        index.Add(a, T0);
        index.Add(b, T0);

        Assert.True(index.Remove(a.JobId));

        Assert.Equal([b.JobId], index.Take(QueueNames.DefaultOnly, 10, T0).Select(e => e.JobId));
        Assert.Equal(0, index.ReadyCount(1));
    }

    [Fact]
    public void RemovedThenReAdded_TakesOnlyTheNewEntry_Once()
    {
        var index = CreateIndex();
        var a = Entry(4);
        index.Add(a, T0);
        index.Remove(a.JobId);
        index.Add(a with { Priority = 2 }, T0);

        var taken = index.Take(QueueNames.DefaultOnly, 10, T0);

        Assert.Single(taken);
        Assert.Equal(2, taken[0].Priority);
    }

    [Fact]
    public void DelayedEntry_IsNotTakenBeforeItsTime_ThenJoinsTheQueue()
    {
        var index = CreateIndex();
        var retry = Entry(0, T0, notBefore: T0.AddSeconds(5));
        index.Add(retry, T0);

        Assert.Empty(index.Take(QueueNames.DefaultOnly, 10, T0.AddSeconds(1)));
        Assert.Equal(1, index.DelayedCount);
        Assert.Equal(T0.AddSeconds(5), index.NextDue());

        Assert.Equal(1, index.PromoteDue(T0.AddSeconds(5)));

        Assert.Equal(0, index.DelayedCount);
        Assert.Equal(retry.JobId, Assert.Single(index.Take(QueueNames.DefaultOnly, 10, T0.AddSeconds(5))).JobId);
    }

    [Fact]
    public void ADueEntry_ForAJobHeldDelayed_ReplacesIt_ButNotTheOtherWayRound()
    {
        var index = CreateIndex();
        var delayed = Entry(3, T0, notBefore: T0.AddHours(1));
        var ready = Entry(3, T0);
        index.Add(delayed, T0);
        index.Add(ready, T0);

        Assert.True(index.Add(delayed with { NotBefore = null, EnqueuedAt = T0.AddSeconds(1) }, T0.AddSeconds(1)));
        Assert.False(index.Add(ready with { NotBefore = T0.AddHours(1) }, T0.AddSeconds(1)));
        Assert.False(index.Add(delayed with { NotBefore = null }, T0.AddSeconds(1)));

        Assert.Equal(0, index.DelayedCount);
        Assert.Null(index.NextDue());
        Assert.Equal([ready.JobId, delayed.JobId], index.Take(QueueNames.DefaultOnly, 10, T0.AddSeconds(2)).Select(e => e.JobId));
        Assert.Equal(0, index.PromoteDue(T0.AddHours(2)));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void RemovingADelayedEntry_KeepsItFromEverBeingPromoted()
    {
        var index = CreateIndex();
        var retry = Entry(0, T0, notBefore: T0.AddSeconds(5));
        index.Add(retry, T0);
        index.Remove(retry.JobId);

        Assert.Equal(0, index.PromoteDue(T0.AddSeconds(10)));
        Assert.Empty(index.Take(QueueNames.DefaultOnly, 10, T0.AddSeconds(10)));
        Assert.Null(index.NextDue());
    }

    [Fact]
    public void WithoutAging_AConstantStreamOfPriorityZero_StarvesPriorityTen()
    {
        var index = CreateIndex(TimeSpan.Zero);
        var old = Entry(10, T0);
        index.Add(old, T0);
        for (var i = 0; i < 100; i++)
        {
            var now = T0.AddMinutes(i);
            index.Add(Entry(0, now), now);
            Assert.NotEqual(old.JobId, index.Take(QueueNames.DefaultOnly, 1, now)[0].JobId);
        }
    }

    [Fact]
    public void WithAging_APriorityTenJob_IsServedAfterTenAgingSteps_UnderAConstantStreamOfPriorityZero()
    {
        var step = TimeSpan.FromSeconds(60);
        var index = CreateIndex(step);
        var old = Entry(10, T0);
        index.Add(old, T0);

        // A fresh priority-0 job arrives every second and one job is leased every second.
        DateTimeOffset? servedAt = null;
        for (var second = 0; second < 1200 && servedAt is null; second++)
        {
            var now = T0.AddSeconds(second);
            index.Add(Entry(0, now), now);
            if (index.Take(QueueNames.DefaultOnly, 1, now)[0].JobId == old.JobId)
            {
                servedAt = now;
            }
        }

        Assert.NotNull(servedAt);
        Assert.InRange(servedAt.Value - T0, step * 10, step * 10 + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Snapshot_ListsReadyEntriesInLeaseOrderPerPriority_AndDelayedOnes()
    {
        var index = CreateIndex();
        var a = Entry(3, T0);
        var b = Entry(3, T0.AddSeconds(1));
        var delayed = Entry(1, T0, notBefore: T0.AddMinutes(1));
        index.Add(a, T0);
        index.Add(b, T0);
        index.Add(delayed, T0);

        var restored = CreateIndex();
        foreach (var e in index.Snapshot())
        {
            restored.Add(e, T0);
        }

        Assert.Equal([a.JobId, b.JobId], restored.Take(QueueNames.DefaultOnly, 10, T0).Select(e => e.JobId));
        Assert.Equal(1, restored.DelayedCount);
    }

    [Fact]
    public void Take_TakesOnlyFromTheNamedQueues_InPriorityThenFifoOrderAcrossThem()
    {
        var index = CreateIndex();
        var a1 = Entry(5) with { Queue = "a" };
        var b1 = Entry(2, T0.AddMilliseconds(1)) with { Queue = "b" };
        var c1 = Entry(0) with { Queue = "c" };
        var a2 = Entry(2, T0.AddMilliseconds(2)) with { Queue = "a" };
        foreach (var entry in new[] { a1, b1, c1, a2 })
        {
            index.Add(entry, T0);
        }

        Assert.Equal([b1.JobId, a2.JobId, a1.JobId], index.Take(["a", "b"], 10, T0).Select(e => e.JobId));
        Assert.Empty(index.Take(QueueNames.DefaultOnly, 10, T0));
        Assert.Equal([c1.JobId], index.Take(["c"], 10, T0).Select(e => e.JobId));
    }

    [Fact]
    public void Queues_CountsReadyAndDelayedPerQueue_AndForgetsAnEmptyQueue()
    {
        var index = CreateIndex();
        var ready = Entry(1) with { Queue = "q" };
        var waiting = Entry(1, notBefore: T0.AddSeconds(5)) with { Queue = "q" };
        index.Add(ready, T0);
        index.Add(waiting, T0);
        Assert.Equal([("q", 1L, 1L)], index.Queues());

        index.Take(["q"], 10, T0);
        Assert.Equal([("q", 0L, 1L)], index.Queues());
        index.Remove(waiting.JobId);
        Assert.Empty(index.Queues());

        // A queue used again after it was forgotten works as new.
        var again = Entry(3) with { Queue = "q" };
        index.Add(again, T0);
        Assert.Equal([again.JobId], index.Take(["q"], 10, T0).Select(e => e.JobId));
    }

    [Fact]
    public void EntryStoredWithoutAQueue_BelongsToTheDefaultQueue()
    {
        var index = CreateIndex();
        var old = Entry(1) with { Queue = null! };
        index.Add(old, T0);
        Assert.Equal(QueueNames.Default, Assert.Single(index.Take(QueueNames.DefaultOnly, 10, T0)).Queue);
    }

    [Fact]
    public void Take_OrdersEveryThirtyTwoBitPriority_StrictlyThenFifo()
    {
        var index = CreateIndex();
        var entries = new[] { uint.MaxValue, 1024L, 0L, 11L, 1024L, 10L, 4_000_000_000L }
            .Select((priority, i) => Entry(priority, T0.AddMilliseconds(i)))
            .ToList();
        entries.ForEach(e => index.Add(e, T0));

        var order = index.Take(QueueNames.DefaultOnly, 10, T0.AddSeconds(1)).Select(e => e.Priority).ToList();

        Assert.Equal([0L, 10, 11, 1024, 1024, 4_000_000_000, uint.MaxValue], order);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void APriorityAboveTheConsoleRange_IsRefusedOnlyAboveThirtyTwoBits()
    {
        var index = CreateIndex();
        Assert.True(index.Add(Entry(uint.MaxValue), T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Add(Entry(uint.MaxValue + 1L), T0));
        // The metrics' last level counts 10 and above.
        Assert.Equal(1, index.ReadyCount(PendingIndex.Levels - 1));
    }

    [Fact]
    public void AQueueHoldingAPriorityAboveTen_IsNotAged_AndKeepsStrictOrder()
    {
        var step = TimeSpan.FromSeconds(1);
        var index = CreateIndex(step);
        var old = Entry(1000, T0);
        var oldInConsoleRange = Entry(10, T0);
        index.Add(old, T0);
        index.Add(oldInConsoleRange, T0);
        var later = T0.AddHours(1);
        var fresh = Entry(0, later);
        index.Add(fresh, later);

        // An hour of waiting is 3,600 aging steps, yet the strict queue serves priority order.
        Assert.Equal([fresh.JobId, oldInConsoleRange.JobId, old.JobId], index.Take(QueueNames.DefaultOnly, 3, later).Select(e => e.JobId));
    }

    [Fact]
    public void AQueueBackInTheConsoleRange_IsAgedAgain()
    {
        var step = TimeSpan.FromSeconds(1);
        var index = CreateIndex(step);
        var wide = Entry(1000, T0);
        index.Add(wide, T0);
        Assert.Equal([wide.JobId], index.Take(QueueNames.DefaultOnly, 1, T0).Select(e => e.JobId));
        var old = Entry(10, T0);
        index.Add(old, T0);
        var later = T0.AddMinutes(1);
        var fresh = Entry(0, later);
        index.Add(fresh, later);

        Assert.Equal(old.JobId, index.Take(QueueNames.DefaultOnly, 1, later)[0].JobId);
    }

    [Fact]
    public void Peeks_AndCounts_LeaveEveryEntryInPlace()
    {
        var index = CreateIndex();
        var later = Entry(2000, T0);
        var next = Entry(3, T0.AddSeconds(1));
        var dueLast = Entry(0, T0, notBefore: T0.AddHours(2));
        var dueFirst = Entry(0, T0, notBefore: T0.AddHours(1));
        foreach (var e in new[] { later, next, dueLast, dueFirst })
        {
            index.Add(e, T0);
        }

        Assert.Equal(next.JobId, index.PeekReady(QueueNames.Default, T0)?.JobId);
        Assert.Equal(dueFirst.JobId, index.PeekDelayed(QueueNames.Default)?.JobId);
        Assert.Null(index.PeekReady("elsewhere", T0));
        Assert.Equal([new QueueCounts(QueueNames.Default, 2, 1, 0, 2, 0)], index.Counts());
        Assert.Equal(4, index.Count);
        Assert.Equal([next.JobId, later.JobId], index.Take(QueueNames.DefaultOnly, 10, T0).Select(e => e.JobId));
    }
}
