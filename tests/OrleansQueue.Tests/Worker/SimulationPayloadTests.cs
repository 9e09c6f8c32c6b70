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

    [Fact]
    public void Parse_AllowsAZeroDuration()
    {
        Assert.Equal(0, Parse("""{"durationMs":0}""").DurationMs);
    }
}
