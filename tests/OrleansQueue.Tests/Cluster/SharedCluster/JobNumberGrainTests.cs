using System.Collections.Immutable;
using System.Text;
using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Cluster.SharedCluster;

[Collection(SharedQueueCluster.Name)]
public sealed class JobNumberGrainTests(SharedQueueCluster.Fixture fixture)
{
    private readonly QueueTestCluster q = fixture.Queue;

    [Fact]
    public async Task Reserve_HandsOutRangesThatNeverOverlap()
    {
        var numbers = q.Cluster.GrainFactory.GetGrain<IJobNumberGrain>(0);

        var ranges = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => numbers.Reserve(100)));

        var all = ranges.SelectMany(first => Enumerable.Range(0, 100).Select(i => first + (ulong)i)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.True(ranges.Min() >= 1);
    }

    [Fact]
    public async Task AJobSubmittedUnderANumber_IsFoundByThatNumber()
    {
        var number = await q.Cluster.GrainFactory.GetGrain<IJobNumberGrain>(0).Reserve(1);
        Assert.True(JobId.TryParse(number.ToString(System.Globalization.CultureInfo.InvariantCulture), out var id));

        var outcome = Assert.Single(await q.Cluster.GrainFactory.GetGrain<ISubmitGrain>(0)
            .SubmitBatch(ImmutableArray.Create(new JobToSubmit(id, new JobSubmission("TEST", Encoding.UTF8.GetBytes("{}"))))));

        Assert.True(outcome.IsQueued, outcome.Error);
        Assert.Equal(id, (await q.StatusAsync(id)).Id);
    }
}
