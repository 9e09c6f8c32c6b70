using OrleansQueue.Cli.Bench;

namespace OrleansQueue.Tests.Cli.Bench;

/// <summary>The W4 rule: lower priority numbers start first, and equal priorities start in submission order.</summary>
public sealed class OrderCheckTests
{
    /// <summary>Jobs in start order, each as (submission index, priority).</summary>
    private static List<SubmittedJob> Started(params (int Index, int Priority)[] jobs) =>
        jobs.Select(j => new SubmittedJob(j.Index, j.Priority)).ToList();

    [Fact]
    public void FirstViolation_IsNull_WhenPrioritiesAscend_AndTiesKeepSubmissionOrder() =>
        Assert.Null(OrderCheck.FirstViolation(Started((2, 0), (5, 0), (0, 3), (3, 3), (4, 3), (1, 10))));

    [Fact]
    public void FirstViolation_IsNull_ForNoJobsOrOne()
    {
        Assert.Null(OrderCheck.FirstViolation([]));
        Assert.Null(OrderCheck.FirstViolation(Started((0, 4))));
    }

    [Fact]
    public void FirstViolation_ReportsAPriorityInversion_WhenAMoreImportantJobStartsLater()
    {
        var violation = OrderCheck.FirstViolation(Started((0, 1), (1, 5), (2, 2), (3, 0)));

        Assert.NotNull(violation);
        Assert.Equal(OrderViolationKind.PriorityInversion, violation.Kind);
        Assert.Equal(2, violation.Position);
        Assert.Equal(new SubmittedJob(1, 5), violation.Before);
        Assert.Equal(new SubmittedJob(2, 2), violation.After);
        Assert.Contains("priority inversion", violation.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FirstViolation_ReportsAFifoInversion_WhenEqualPrioritiesStartOutOfSubmissionOrder()
    {
        var violation = OrderCheck.FirstViolation(Started((0, 1), (4, 3), (2, 3)));

        Assert.NotNull(violation);
        Assert.Equal(OrderViolationKind.FifoInversion, violation.Kind);
        Assert.Equal(2, violation.Position);
        Assert.Equal(new SubmittedJob(4, 3), violation.Before);
        Assert.Equal(new SubmittedJob(2, 3), violation.After);
        Assert.Contains("FIFO inversion", violation.ToString(), StringComparison.Ordinal);
    }
}
