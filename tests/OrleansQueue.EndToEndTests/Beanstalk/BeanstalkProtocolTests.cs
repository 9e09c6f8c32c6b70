using System.Text;
using OrleansQueue.EndToEndTests.Harness.Beanstalk;

namespace OrleansQueue.EndToEndTests.Beanstalk;

/// <summary>
/// The beanstalkd protocol as a client sees it, written once and run against the silo's gateway
/// (<see cref="GatewayProtocolTests"/>) and against a real beanstalkd (<see cref="BeanstalkdProtocolTests"/>): a test
/// that fails on beanstalkd is a wrong test; one that fails on the gateway only is a gateway bug. Each class shares one
/// server; every test opens its own connections.
/// </summary>
public abstract class BeanstalkProtocolTests(IBeanstalkServer server)
{
    protected IBeanstalkServer Server { get; } = server;

    protected async Task WithConnectionAsync(Func<BeanstalkWire, Task> test)
    {
        await using var wire = await BeanstalkWire.ConnectAsync(Server.Port);
        try
        {
            await test(wire);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"against {Server.Name}: {ex.Message}\n{Server.Describe()}", ex);
        }
    }

    [Fact]
    public Task Use_NamesTheTubeForPuts_AndListTubeUsedTellsIt() => WithConnectionAsync(async wire =>
    {
        Assert.Equal("USING default", await wire.CommandAsync("list-tube-used"));
        Assert.Equal("USING emails", await wire.CommandAsync("use emails"));
        Assert.Equal("USING emails", await wire.CommandAsync("list-tube-used"));
        Assert.Equal("USING a-Z0+/;.$_()", await wire.CommandAsync("use a-Z0+/;.$_()"));
    });

    [Fact]
    public Task WatchAndIgnore_KeepTheWatchList_AndTheLastTubeCannotBeIgnored() => WithConnectionAsync(async wire =>
    {
        Assert.Equal("---\n- default\n", await wire.DataAsync("list-tubes-watched"));
        Assert.Equal("NOT_IGNORED", await wire.CommandAsync("ignore default"));
        Assert.Equal("WATCHING 2", await wire.CommandAsync("watch emails"));
        Assert.Equal("WATCHING 2", await wire.CommandAsync("watch emails"));
        Assert.Equal("WATCHING 2", await wire.CommandAsync("ignore never-watched"));
        Assert.Equal("---\n- default\n- emails\n", await wire.DataAsync("list-tubes-watched"));
        Assert.Equal("WATCHING 1", await wire.CommandAsync("ignore default"));
        Assert.Equal("NOT_IGNORED", await wire.CommandAsync("ignore emails"));
        Assert.Equal("---\n- emails\n", await wire.DataAsync("list-tubes-watched"));
    });

    [Theory]
    [InlineData("bogus")]
    [InlineData("delete")]
    [InlineData("use")]
    [InlineData("PUT 0 0 1 1")]
    [InlineData(" list-tube-used")]
    [InlineData("")]
    public Task UnknownCommand_IsAnsweredUnknownCommand_AndTheConnectionGoesOn(string line) => WithConnectionAsync(async wire =>
    {
        Assert.Equal("UNKNOWN_COMMAND", await wire.CommandAsync(line));
        Assert.Equal("USING default", await wire.CommandAsync("list-tube-used"));
    });

    [Theory]
    [InlineData("use -leading-hyphen")]
    [InlineData("use a*b")]
    [InlineData("use  two-spaces")]
    [InlineData("watch ")]
    [InlineData("ignore x y")]
    [InlineData("reserve x")]
    // Not "reserve-with-timeout x" nor "reserve-with-timeout 2147483648": beanstalkd 1.12 (Debian's) reads the first
    // as 0 and answers TIMED_OUT, and waits ~68 years on the second; its later sources (read_u32, the INT_MAX check)
    // answer BAD_FORMAT for both, as the gateway does (CommandParserTests).
    [InlineData("stats now")]
    [InlineData("list-tubes x")]
    [InlineData("list-tube-used x")]
    [InlineData("peek-ready 1")]
    [InlineData("peek x")]
    [InlineData("delete x")]
    [InlineData("delete 1 2")]
    [InlineData("release 1 2")]
    [InlineData("bury 1")]
    [InlineData("touch -1")]
    [InlineData("kick x")]
    [InlineData("kick-job x")]
    [InlineData("stats-job 18446744073709551616")]
    [InlineData("pause-tube default")]
    [InlineData("put 1 0 1")]
    [InlineData("put 4294967296 0 1 1")]
    [InlineData("put 1 0 1 1 x")]
    [InlineData("list-tube-used\0")]
    public Task MalformedLine_IsBadFormat_AndTheConnectionGoesOn(string line) => WithConnectionAsync(async wire =>
    {
        Assert.Equal("BAD_FORMAT", await wire.CommandAsync(line));
        Assert.Equal("USING default", await wire.CommandAsync("list-tube-used"));
    });

    [Fact]
    public Task TubeName_Of200Bytes_IsTaken_201IsBadFormat() => WithConnectionAsync(async wire =>
    {
        var name = new string('t', 200);
        Assert.Equal($"USING {name}", await wire.CommandAsync($"use {name}"));
        Assert.Equal("BAD_FORMAT", await wire.CommandAsync($"use {name}x"));
    });

    [Fact]
    public Task LineLongerThan224Bytes_IsBadFormat_AndTheNextLineIsRead() => WithConnectionAsync(async wire =>
    {
        await wire.SendAsync("use " + new string('x', 300) + "\r\nlist-tube-used\r\n");
        Assert.Equal("BAD_FORMAT", await wire.ReadLineAsync());
        Assert.Equal("USING default", await wire.ReadLineAsync());
    });

    [Fact]
    public Task PutOverTheSizeLimit_IsJobTooBig_ItsBodyIsSkipped() => WithConnectionAsync(async wire =>
    {
        var body = new string('b', 65_536);
        await wire.SendAsync($"put 0 0 10 65536\r\n{body}\r\nlist-tube-used\r\n");
        Assert.Equal("JOB_TOO_BIG", await wire.ReadLineAsync());
        Assert.Equal("USING default", await wire.ReadLineAsync());
        // Checked before the trailing garbage.
        await wire.SendAsync("put 0 0 10 65536 x\r\n" + body + "\r\nlist-tube-used\r\n");
        Assert.Equal("JOB_TOO_BIG", await wire.ReadLineAsync());
        Assert.Equal("USING default", await wire.ReadLineAsync());
    });

    [Fact]
    public Task PutBodyNotEndingInCrlf_IsExpectedCrlf() => WithConnectionAsync(async wire =>
    {
        // The two bytes in the CRLF's place go with the body; the CRLF after them is an empty line.
        await wire.SendAsync("put 0 0 10 2\r\nabXY\r\nlist-tube-used\r\n");
        Assert.Equal("EXPECTED_CRLF", await wire.ReadLineAsync());
        Assert.Equal("UNKNOWN_COMMAND", await wire.ReadLineAsync());
        Assert.Equal("USING default", await wire.ReadLineAsync());
    });

    [Fact]
    public Task GarbageBytes_AreRefused_AndTheConnectionGoesOn() => WithConnectionAsync(async wire =>
    {
        await wire.SendAsync([0xFF, 0xFE, 0x00, 0x01, (byte)'\r', (byte)'\n', 0x80, (byte)' ', 0x7F, (byte)'\r', (byte)'\n']);
        Assert.Equal("BAD_FORMAT", await wire.ReadLineAsync());
        Assert.Equal("UNKNOWN_COMMAND", await wire.ReadLineAsync());
        Assert.Equal("USING default", await wire.CommandAsync("list-tube-used"));
    });

    [Fact]
    public Task PipelinedCommands_AreAnsweredInOrder() => WithConnectionAsync(async wire =>
    {
        var lines = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            lines.Append($"use t{i}\r\n");
        }

        lines.Append("bogus\r\nwatch w\r\n");
        await wire.SendAsync(lines.ToString());
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"USING t{i}", await wire.ReadLineAsync());
        }

        Assert.Equal("UNKNOWN_COMMAND", await wire.ReadLineAsync());
        Assert.Equal("WATCHING 2", await wire.ReadLineAsync());
    });

    [Fact]
    public Task Quit_ClosesTheConnection() => WithConnectionAsync(async wire =>
    {
        await wire.SendAsync("quit\r\n");
        Assert.True(await wire.IsClosedWithinAsync(BeanstalkWire.ReplyTimeout));
    });

    [Fact]
    public async Task ClientStalledMidCommand_DoesNotHoldUpOtherConnections()
    {
        await using var stalled = await BeanstalkWire.ConnectAsync(Server.Port);
        await stalled.SendAsync("put 0 0 10 100\r\nonly part of the body");
        await using var flooding = await BeanstalkWire.ConnectAsync(Server.Port);
        // Thousands of commands whose replies are not read yet.
        await flooding.SendAsync(string.Concat(Enumerable.Repeat("list-tube-used\r\n", 5000)));
        await WithConnectionAsync(async wire =>
        {
            Assert.Equal("USING other", await wire.CommandAsync("use other"));
        });
        Assert.Equal("USING default", await flooding.ReadLineAsync());
    }
}

public sealed class GatewayProtocolTests(GatewaySilo silo) : BeanstalkProtocolTests(silo), IClassFixture<GatewaySilo>
{
    /// <summary>Where beanstalkd 1.12 is wrong: a 225-byte line whose CR is its 224th byte is refused, but beanstalkd
    /// drops the LF with the line and then misses the next line's end too, so the command after it is lost. The
    /// gateway refuses the long line and answers the next.</summary>
    [Fact]
    public Task LineWhoseCrIsByte224_IsBadFormat_AndTheNextCommandIsNotLost() => WithConnectionAsync(async wire =>
    {
        await wire.SendAsync("peek " + new string(' ', 217) + "7\r");
        await wire.SendAsync("\nlist-tube-used\r\nlist-tube-used\r\n");
        Assert.Equal("BAD_FORMAT", await wire.ReadLineAsync());
        Assert.Equal("USING default", await wire.ReadLineAsync());
        Assert.Equal("USING default", await wire.ReadLineAsync());
    });
}

public sealed class BeanstalkdProtocolTests(BeanstalkdServer beanstalkd) : BeanstalkProtocolTests(beanstalkd), IClassFixture<BeanstalkdServer>;
