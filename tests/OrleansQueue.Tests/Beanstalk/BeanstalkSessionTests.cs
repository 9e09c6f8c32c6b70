using OrleansQueue.Silo.Beanstalk.Connections;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Tests.Beanstalk;

public sealed class BeanstalkSessionTests
{
    private static BeanstalkReply Handle(BeanstalkSession session, BeanstalkCommand command)
    {
        Assert.True(session.TryHandle(command, out var reply));
        return reply;
    }

    [Fact]
    public void NewConnection_UsesAndWatchesDefault()
    {
        var session = new BeanstalkSession(1);
        Assert.Equal("default", session.UsedTube);
        Assert.Equal(["default"], session.Watched);
        Assert.Equal(new BeanstalkReply.Line("USING default"), Handle(session, new BeanstalkCommand.ListTubeUsed()));
    }

    [Fact]
    public void Watch_AddsATubeOnce_AndCountsTheList()
    {
        var session = new BeanstalkSession(1);
        Assert.Equal(new BeanstalkReply.Line("WATCHING 2"), Handle(session, new BeanstalkCommand.Watch("a")));
        Assert.Equal(new BeanstalkReply.Line("WATCHING 2"), Handle(session, new BeanstalkCommand.Watch("a")));
        Assert.Equal(["default", "a"], session.Watched);
    }

    [Fact]
    public void Ignore_RefusesTheLastTube_AndIgnoresOneNotWatched()
    {
        var session = new BeanstalkSession(1);
        Assert.Equal(BeanstalkReply.NotIgnored, Handle(session, new BeanstalkCommand.Ignore("default")));
        Assert.Equal(new BeanstalkReply.Line("WATCHING 1"), Handle(session, new BeanstalkCommand.Ignore("other")));
        Handle(session, new BeanstalkCommand.Watch("a"));
        Assert.Equal(new BeanstalkReply.Line("WATCHING 1"), Handle(session, new BeanstalkCommand.Ignore("default")));
        Assert.Equal(["a"], session.Watched);
    }

    [Fact]
    public void Ignore_PutsTheLastTubeInThePlaceOfTheIgnoredOne_AsBeanstalkdsSetDoes()
    {
        var session = new BeanstalkSession(1);
        Handle(session, new BeanstalkCommand.Watch("a"));
        Handle(session, new BeanstalkCommand.Watch("b"));
        Handle(session, new BeanstalkCommand.Watch("c"));
        Handle(session, new BeanstalkCommand.Ignore("a"));
        Assert.Equal(["default", "c", "b"], session.Watched);
        Handle(session, new BeanstalkCommand.Ignore("default"));
        Assert.Equal(["b", "c"], session.Watched);
    }

    [Fact]
    public void RefusedLines_CountTheirCommand_AndOnlyABadBodyMakesAProducer()
    {
        var registry = new GatewayRegistry();
        var session = new BeanstalkSession(1, registry);
        session.Count(new ParsedLine.Refused(BeanstalkReply.JobTooBig, Counted: "put"));
        session.Count(new ParsedLine.Refused(BeanstalkReply.BadFormat));
        Assert.Equal(1, registry.Read().Commands.Single(c => c.Command == "put").Count);
        Assert.Equal(0, registry.Read().Producers);
        session.Count(new ParsedLine.Refused(BeanstalkReply.ExpectedCrlf, Counted: "put", Producer: true));
        Assert.Equal(2, registry.Read().Commands.Single(c => c.Command == "put").Count);
        Assert.Equal(1, registry.Read().Producers);
        Assert.True(session.IsProducer);
    }

    [Fact]
    public void JobCommands_AreNotTheSessions()
    {
        Assert.False(new BeanstalkSession(1).TryHandle(new BeanstalkCommand.Delete(1), out _));
    }

    [Fact]
    public void Registry_KnowsTheTubesConnectionsUseOrWatch_AndForgetsThemWhenNoneDoes()
    {
        var registry = new GatewayRegistry();
        var a = new BeanstalkSession(1, registry);
        var b = new BeanstalkSession(2, registry);
        a.Open();
        b.Open();

        Handle(a, new BeanstalkCommand.Use("jobs"));
        Handle(b, new BeanstalkCommand.Watch("mail"));
        Handle(b, new BeanstalkCommand.Watch("mail"));

        Assert.Equal(["default", "jobs", "mail"], registry.TubesInUse().Order());
        Assert.Equal(new GatewayRegistry.TubeSnapshot(0, 1, 2, 0, 0, 0), registry.Tube("default"));
        Assert.Equal(new GatewayRegistry.TubeSnapshot(0, 1, 0, 0, 0, 0), registry.Tube("jobs"));
        Assert.Equal(new GatewayRegistry.TubeSnapshot(0, 0, 1, 0, 0, 0), registry.Tube("mail"));

        Handle(b, new BeanstalkCommand.Ignore("mail"));
        Assert.False(registry.InUse("mail"));
        a.Close();
        Assert.False(registry.InUse("jobs"));
        Assert.True(registry.InUse("default"));
        Assert.Equal((1L, 2L), (registry.Read().Connections, registry.Read().TotalConnections));
        b.Close();
        Assert.Empty(registry.TubesInUse());
    }

    [Fact]
    public void Registry_CountsCommands_ProducersAndWorkers_OncePerConnection()
    {
        var registry = new GatewayRegistry();
        var session = new BeanstalkSession(1, registry);
        session.Open();

        session.Count(new BeanstalkCommand.Put(0, 0, 1, 0));
        session.Count(new BeanstalkCommand.Put(0, 0, 1, 0));
        session.Count(new BeanstalkCommand.Reserve(5));
        session.Count(new BeanstalkCommand.ReserveJob(3));

        var read = registry.Read();
        Assert.Equal((1L, 1L), (read.Producers, read.Workers));
        Assert.Equal(2, read.Commands.Single(c => c.Command == "put").Count);
        Assert.Equal(1, read.Commands.Single(c => c.Command == "reserve-with-timeout").Count);
        Assert.Equal(0, read.Commands.Single(c => c.Command == "reserve").Count);
        session.Close();
        Assert.Equal((0L, 0L, 0L), (registry.Read().Connections, registry.Read().Producers, registry.Read().Workers));
    }
}
