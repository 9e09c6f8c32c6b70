using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Tests.Beanstalk;

/// <summary>How a connection's bytes are cut into commands, and the limits that protect the silo from a client.</summary>
public sealed class FrameReaderTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Pipe _pipe = new();
    private readonly FakeTimeProvider _time = new();

    private FrameReader CreateReader(int maxJobSize = 65_535) =>
        new(_pipe.Reader, new CommandParser(maxJobSize), Stall, _time);

    private async Task SendAsync(string text) => await _pipe.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));

    private static async Task<List<string>> ReadAllAsync(FrameReader reader)
    {
        var seen = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Timeout) is { } frame)
        {
            seen.Add(frame switch
            {
                ParsedLine.Command { Value: BeanstalkCommand.Put put } => $"put:{Encoding.Latin1.GetString(put.Body.Span)}",
                ParsedLine.Command command => command.Value.Name,
                ParsedLine.Refused refused => refused.Reply.Text,
                _ => frame.ToString(),
            });
        }

        return seen;
    }

    private static async Task<List<string>> FramesOfAsync(string text, int maxJobSize = 65_535)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));
        await pipe.Writer.CompleteAsync();
        return await ReadAllAsync(new FrameReader(pipe.Reader, new CommandParser(maxJobSize), Stall, TimeProvider.System));
    }

    [Fact]
    public async Task PipelinedCommands_AreReadInOrder_WithPutBodiesHeldExactly()
    {
        Assert.Equal(
            ["use", "put:a\r\nb", "put:", "reserve"],
            await FramesOfAsync("use x\r\nput 0 0 1 4\r\na\r\nb\r\nput 0 0 1 0\r\n\r\nreserve\r\n"));
    }

    [Fact]
    public async Task Body_NotFollowedByCrlf_IsExpectedCrlf_AndReadingGoesOn()
    {
        // The two bytes where the CRLF belonged are dropped with the body; what follows them is the next line.
        Assert.Equal(["EXPECTED_CRLF", "UNKNOWN_COMMAND", "stats"], await FramesOfAsync("put 0 0 1 2\r\nabXY\r\nstats\r\n"));
    }

    [Fact]
    public async Task Body_OverTheLimit_IsDroppedWithItsCrlf_ThenJobTooBig()
    {
        Assert.Equal(["JOB_TOO_BIG", "stats"], await FramesOfAsync("put 0 0 1 5\r\n12345\r\nstats\r\n", maxJobSize: 4));
    }

    [Fact]
    public async Task LineOf224Bytes_IsACommand_OneByteMore_IsBadFormat_ThenTheNextLineIsRead()
    {
        var longest = "peek " + new string(' ', 216) + "7";   // 222 bytes, and CRLF: 224
        var tooLong = "peek " + new string(' ', 217) + "7";
        Assert.Equal(["peek", "BAD_FORMAT", "stats"], await FramesOfAsync($"{longest}\r\n{tooLong}\r\nstats\r\n"));
    }

    [Fact]
    public async Task LoneCr_IsNoLineEnd_NorIsAnyCrlfAfterIt_UntilTheLineHas224Bytes()
    {
        var reader = CreateReader();
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        await SendAsync("list\rtubes\r\nstats\r\n");
        await Task.Delay(50);
        Assert.False(read.IsCompleted);
        // 205 more bytes make 224: dropped; the line ends, refused, at the first CRLF after them.
        await SendAsync(new string('x', 205) + "\r\nstats\r\n");
        await _pipe.Writer.CompleteAsync();
        Assert.Equal("BAD_FORMAT", Assert.IsType<ParsedLine.Refused>(await read.WaitAsync(Timeout)).Reply.Text);
        Assert.Equal(["stats"], await ReadAllAsync(reader));
    }

    [Fact]
    public async Task LineNotEndedWithin224Bytes_IsDropped224BytesAtATime_ALoneCrSpoilingItsWindow()
    {
        // A lone CR in the second 224 bytes keeps the CRLF after it from ending the line; the third's CRLF ends it.
        var text = new string('x', 224) + "a\rb\r\nstats\r\n" + new string('y', 224 - 12) + "z\r\nstats\r\n";
        Assert.Equal(["BAD_FORMAT", "stats"], await FramesOfAsync(text));
    }

    [Fact]
    public async Task Put_RefusedForItsSizeOrBody_IsCountedAsAPut()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.Latin1.GetBytes("put 0 0 1 5\r\n12345\r\nput 0 0 1 2\r\nabXY\r\n"));
        await pipe.Writer.CompleteAsync();
        var reader = new FrameReader(pipe.Reader, new CommandParser(4), Stall, TimeProvider.System);
        Assert.Equal(new ParsedLine.Refused(BeanstalkReply.JobTooBig, "put"), await reader.ReadAsync(CancellationToken.None));
        Assert.Equal(new ParsedLine.Refused(BeanstalkReply.ExpectedCrlf, "put", Producer: true), await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task VeryLongLine_IsDroppedAsItComes_NotHeld()
    {
        var reader = CreateReader();
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(new string('x', 10_000));
        }

        await SendAsync("\r\nstats\r\n");
        await _pipe.Writer.CompleteAsync();
        Assert.Equal("BAD_FORMAT", Assert.IsType<ParsedLine.Refused>(await read.WaitAsync(Timeout)).Reply.Text);
        Assert.Equal(["stats"], await ReadAllAsync(reader));
    }

    [Fact]
    public async Task CrlfSplitAcrossReads_EndsTheLine()
    {
        var reader = CreateReader();
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        await SendAsync("stats\r");
        await SendAsync("\n");
        Assert.Equal("stats", Assert.IsType<ParsedLine.Command>(await read.WaitAsync(Timeout)).Value.Name);
    }

    [Fact]
    public async Task ClosedMidCommand_EndsWithoutACommand()
    {
        Assert.Empty(await FramesOfAsync("put 0 0 1 10\r\nabc"));
        Assert.Empty(await FramesOfAsync("stat"));
    }

    [Fact]
    public async Task HalfACommand_ThenSilence_EndsTheConnectionAfterTheStallTimeout()
    {
        var reader = CreateReader();
        await SendAsync("put 0 0 1 10\r\nabc");
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        await Task.Yield();
        Assert.False(read.IsCompleted);
        _time.Advance(Stall + TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<StalledCommandException>(() => read.WaitAsync(Timeout));
    }

    [Fact]
    public async Task IdleBetweenCommands_IsNeverTimedOut()
    {
        var reader = CreateReader();
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromHours(2));
        await SendAsync("stats\r\n");
        Assert.IsType<ParsedLine.Command>(await read.WaitAsync(Timeout));
    }
}
