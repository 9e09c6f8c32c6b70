using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Domain;

public sealed class JobNumbersTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(42UL)]
    [InlineData(ulong.MaxValue)]
    public void Number_RoundTripsThroughItsGuid_AndIsWrittenAsTheNumber(ulong number)
    {
        var id = JobNumbers.ToGuid(number);

        Assert.True(JobNumbers.TryGetNumber(id, out var back));
        Assert.Equal(number, back);
        Assert.Equal(number.ToString(System.Globalization.CultureInfo.InvariantCulture), JobId.Format(id));
        Assert.True(JobId.TryParse(JobId.Format(id), out var parsed));
        Assert.Equal(id, parsed);
    }

    [Fact]
    public void VersionSevenIds_AreNotNumbers_AndKeepTheirGuidForm()
    {
        var id = JobId.New();
        Assert.False(JobNumbers.TryGetNumber(id, out _));
        Assert.Equal(id.ToString("D"), JobId.Format(id));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("18446744073709551616")]
    [InlineData("1.5")]
    public void NotAJobNumber_IsNotParsed(string text)
    {
        Assert.False(JobId.TryParse(text, out _));
    }

    [Fact]
    public async Task Source_HandsOutEachNumberOnce_AcrossRanges_AndThreads()
    {
        var next = 1UL;
        var calls = 0;
        var source = new JobNumberSource(count =>
        {
            Interlocked.Increment(ref calls);
            var first = next;
            next += (ulong)count;
            return Task.FromResult(first);
        });

        var numbers = await Task.WhenAll(Enumerable.Range(0, 2500).Select(_ => Task.Run(source.NextAsync)));

        Assert.Equal(2500, numbers.Distinct().Count());
        Assert.Equal(3, calls);
        Assert.Equal(1UL, numbers.Min());
    }
}
