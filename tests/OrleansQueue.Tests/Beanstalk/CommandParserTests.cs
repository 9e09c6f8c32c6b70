using System.Text;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Tests.Beanstalk;

/// <summary>The command line grammar, as beanstalkd 1.12 reads it (prot.c); the same lines are sent to a real
/// beanstalkd by the protocol tests.</summary>
public sealed class CommandParserTests
{
    private static ParsedLine Parse(string line, int maxJobSize = 65_535) =>
        new CommandParser(maxJobSize).Parse(Encoding.Latin1.GetBytes(line));

    private static BeanstalkCommand Command(string line) =>
        Assert.IsType<ParsedLine.Command>(Parse(line)).Value;

    private static string Refusal(string line) =>
        Assert.IsType<ParsedLine.Refused>(Parse(line)).Reply.Text;

    [Fact]
    public void Put_ReadsPriorityDelayTtrAndSize_WithTheFull32BitRange()
    {
        var put = Assert.IsType<BeanstalkCommand.Put>(Command("put 4294967295 10 60 5"));
        Assert.Equal((uint.MaxValue, 10u, 60u, 5), (put.Priority, put.Delay, put.TimeToRun, put.BodyBytes));
    }

    [Fact]
    public void Put_RaisesATtrOfZeroToOne()
    {
        Assert.Equal(1u, Assert.IsType<BeanstalkCommand.Put>(Command("put 0 0 0 1")).TimeToRun);
    }

    [Theory]
    [InlineData("put 4294967296 0 1 1")]   // priority past 32 bits
    [InlineData("put 1 0 1")]              // a number missing
    [InlineData("put 1 0 1 1 ")]           // trailing space
    [InlineData("put 1 0 1 1 x")]          // trailing garbage
    [InlineData("put -1 0 1 1")]           // a sign is not a digit
    [InlineData("put a 0 1 1")]
    [InlineData("put 99999999999999999999999 0 1 1")] // past 64 bits
    public void Put_Malformed_IsBadFormat(string line)
    {
        Assert.Equal("BAD_FORMAT", Refusal(line));
    }

    [Theory]
    [InlineData("put 1 0 1 1 x", "put")]                  // its four numbers read: counted
    [InlineData("put 1 0 1 1 ", "put")]
    [InlineData("put 4294967296 0 1 1", null)]            // a number refused: not
    [InlineData("put 1 0 1", null)]
    [InlineData("pause-tube -x 10", "pause-tube")]        // its name and delay read: counted, then the name refused
    [InlineData("pause-tube default x", null)]
    [InlineData("pause-tube a*b 10", null)]
    [InlineData("use -x", null)]
    public void RefusedLine_IsCountedInStats_AsBeanstalkdCountsIt(string line, string? counted)
    {
        var refused = Assert.IsType<ParsedLine.Refused>(Parse(line));
        Assert.Equal(("BAD_FORMAT", counted), (refused.Reply.Text, refused.Counted));
    }

    [Fact]
    public void Put_OverTheSizeLimit_SkipsTheBodyAndItsCrlf_EvenWithTrailingGarbage()
    {
        Assert.Equal(12L, Assert.IsType<ParsedLine.TooBig>(Parse("put 0 0 1 10 x", maxJobSize: 9)).SkipBytes);
        Assert.IsType<BeanstalkCommand.Put>(Assert.IsType<ParsedLine.Command>(Parse("put 0 0 1 9", maxJobSize: 9)).Value);
    }

    [Fact]
    public void Numbers_MaySitAfterSeveralSpaces()
    {
        Assert.Equal(new BeanstalkCommand.Release(7, 2, 3), Command("release   7  2 3"));
    }

    [Theory]
    [InlineData("reserve", null)]
    [InlineData("reserve-with-timeout 0", 0u)]
    [InlineData("reserve-with-timeout 2147483647", 2147483647u)]
    // beanstalkd does not look past the number.
    [InlineData("reserve-with-timeout 5 whatever", 5u)]
    public void Reserve_WithAndWithoutTimeout(string line, uint? timeout)
    {
        Assert.Equal(new BeanstalkCommand.Reserve(timeout), Command(line));
    }

    [Theory]
    [InlineData("reserve-with-timeout 2147483648")]
    [InlineData("reserve-with-timeout")]
    [InlineData("reserve ")]
    [InlineData("reservex")]
    [InlineData("stats ")]
    [InlineData("list-tubes x")]
    [InlineData("peek-ready 1")]
    [InlineData("delete 1 2")]
    [InlineData("delete x")]
    [InlineData("bury 1")]
    [InlineData("release 1 2")]
    [InlineData("kick x")]
    [InlineData("use ")]
    [InlineData("use  two-spaces")]
    [InlineData("use -starts-with-hyphen")]
    [InlineData("use a*b")]
    [InlineData("pause-tube default")]
    [InlineData("pause-tube default x")]
    [InlineData("stats\0")]
    public void MalformedLine_IsBadFormat(string line)
    {
        Assert.Equal("BAD_FORMAT", Refusal(line));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bogus")]
    [InlineData("delete")]
    [InlineData("use")]
    [InlineData("PUT 0 0 1 1")]
    [InlineData(" reserve")]
    public void UnknownCommand_IsUnknownCommand(string line)
    {
        Assert.Equal("UNKNOWN_COMMAND", Refusal(line));
    }

    [Fact]
    public void TubeNames_TakeTheProtocolsCharacters_UpTo200()
    {
        Assert.Equal(new BeanstalkCommand.Use("a-Z0+/;.$_()"), Command("use a-Z0+/;.$_()"));
        Assert.Equal(new BeanstalkCommand.Watch(new string('w', 200)), Command("watch " + new string('w', 200)));
        Assert.Equal("BAD_FORMAT", Refusal("watch " + new string('w', 201)));
    }

    [Fact]
    public void EveryCommand_IsRecognised()
    {
        Assert.Equal(new BeanstalkCommand.ReserveJob(18446744073709551615), Command("reserve-job 18446744073709551615"));
        Assert.Equal(new BeanstalkCommand.Delete(1), Command("delete 1"));
        Assert.Equal(new BeanstalkCommand.Bury(1, 5), Command("bury 1 5"));
        Assert.Equal(new BeanstalkCommand.Touch(3), Command("touch 3"));
        Assert.Equal(new BeanstalkCommand.Ignore("x"), Command("ignore x"));
        Assert.Equal(new BeanstalkCommand.Peek(9), Command("peek 9"));
        Assert.Equal(new BeanstalkCommand.PeekState(PeekKind.Ready), Command("peek-ready"));
        Assert.Equal(new BeanstalkCommand.PeekState(PeekKind.Delayed), Command("peek-delayed"));
        Assert.Equal(new BeanstalkCommand.PeekState(PeekKind.Buried), Command("peek-buried"));
        Assert.Equal(new BeanstalkCommand.Kick(10), Command("kick 10"));
        Assert.Equal(new BeanstalkCommand.Kick(5), Command("kick 5x"));
        // strtoul into an unsigned int, as beanstalkd 1.12 reads it.
        Assert.Equal(new BeanstalkCommand.Kick(1), Command("kick +1"));
        Assert.Equal(new BeanstalkCommand.Kick(uint.MaxValue), Command("kick -1"));
        Assert.Equal(new BeanstalkCommand.Kick(1), Command("kick -4294967295"));
        Assert.Equal(new BeanstalkCommand.Kick(1), Command("kick 4294967297"));
        Assert.Equal(new BeanstalkCommand.KickJob(4), Command("kick-job 4"));
        Assert.Equal(new BeanstalkCommand.StatsJob(4), Command("stats-job 4"));
        Assert.Equal(new BeanstalkCommand.StatsTube("default"), Command("stats-tube default"));
        Assert.IsType<BeanstalkCommand.Stats>(Command("stats"));
        Assert.IsType<BeanstalkCommand.ListTubes>(Command("list-tubes"));
        Assert.IsType<BeanstalkCommand.ListTubeUsed>(Command("list-tube-used"));
        Assert.IsType<BeanstalkCommand.ListTubesWatched>(Command("list-tubes-watched"));
        Assert.Equal(new BeanstalkCommand.PauseTube("default", 30), Command("pause-tube default 30"));
        Assert.IsType<BeanstalkCommand.Quit>(Command("quit"));
    }
}
