using System.Text;
using OrleansQueue.Worker.Handlers;

namespace OrleansQueue.Tests.Worker;

public sealed class SimulationPayloadTests
{
    private static SimulationPayload Parse(string text) => SimulationPayload.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parse_ReadsEveryField()
    {
        var payload = Parse("""{"durationMs":250,"fail":true,"error":"boom","result":"r","ignoreCancellation":true}""");

        Assert.Equal(new SimulationPayload(250, true, "boom", "r", true), payload);
    }

    [Fact]
    public void Parse_IgnoresUnknownFieldsAndWhiteSpace()
    {
        var payload = Parse(" \r\n {\"input\":\"s3://bucket/a.mp4\",\"durationMs\":5} ");

        Assert.Equal(SimulationPayload.Default with { DurationMs = 5 }, payload);
    }

    [Fact]
    public void Parse_AcceptsAUtf8ByteOrderMark()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"durationMs":7}""")];

        Assert.Equal(7, SimulationPayload.Parse(bytes).DurationMs);
    }

    [Theory]
    [InlineData("""{"fail":1}""")]
    [InlineData("""{"ignoreCancellation":"true"}""")]
    [InlineData("""{"result":42,"error":false}""")]
    [InlineData("null")]
    [InlineData("{}")]
    public void Parse_TakesDefaults_ForFieldsOfTheWrongKind(string text)
    {
        Assert.Equal(SimulationPayload.Default, Parse(text));
    }

    [Theory]
    [InlineData("""{"progressEveryMs":500}""", 500)]
    [InlineData("""{"progressEveryMs":0}""", 0)]
    [InlineData("""{"progressEveryMs":-1}""", null)]
    [InlineData("""{"progressEveryMs":"often"}""", null)]
    [InlineData("{}", null)]
    public void Parse_ReadsProgressEveryMs(string text, int? expected)
    {
        Assert.Equal(expected, Parse(text).ProgressEveryMs);
    }

    [Theory]
    [InlineData(10_000, null, 1000)] // a tenth of the duration by default
    [InlineData(1000, null, 250)] // but never more than 4 reports a second
    [InlineData(10_000, 2000, 2000)]
    [InlineData(10_000, 100, 250)] // asked for too often: raised to 4 a second
    public void ProgressInterval_IsATenthOfTheDuration_OrWhatThePayloadAsks_AtMostFourASecond(int durationMs, int? everyMs, int expectedMs)
    {
        var payload = new SimulationPayload(durationMs, ProgressEveryMs: everyMs);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), payload.ProgressInterval);
    }

    [Theory]
    [InlineData(10_000, 0)] // turned off
    [InlineData(200, null)] // shorter than one interval
    [InlineData(1000, 1000)]
    [InlineData(0, null)]
    public void ProgressInterval_IsNull_WhenOffOrNotShorterThanTheRun(int durationMs, int? everyMs)
    {
        Assert.Null(new SimulationPayload(durationMs, ProgressEveryMs: everyMs).ProgressInterval);
    }

    [Fact]
    public void Parse_AllowsAZeroDuration()
    {
        Assert.Equal(0, Parse("""{"durationMs":0}""").DurationMs);
    }
}
