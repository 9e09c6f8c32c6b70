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
    public void JobCommands_AreNotTheSessions()
    {
        Assert.False(new BeanstalkSession(1).TryHandle(new BeanstalkCommand.Delete(1), out _));
    }
}
