using System.Diagnostics.CodeAnalysis;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>
/// One connection's own state: the tube its <c>put</c>s go to (<c>use</c>) and the tubes its <c>reserve</c>s take from
/// (<c>watch</c>, <c>ignore</c>). Both start as <c>default</c>. It answers the commands that only read or change this
/// state; the job commands go to <see cref="IBeanstalkJobs"/>, which reads it. Used by one connection's loop at a
/// time, so it needs no lock.
/// </summary>
public sealed class BeanstalkSession(long connectionId)
{
    public const string DefaultTube = "default";

    private readonly List<string> _watched = [DefaultTube];

    /// <summary>A number naming the connection in logs, unique within the silo process.</summary>
    public long ConnectionId { get; } = connectionId;

    public string UsedTube { get; private set; } = DefaultTube;

    /// <summary>The watch list, in the order the tubes were watched.</summary>
    public IReadOnlyList<string> Watched => _watched;

    /// <summary>Answers a command about the connection's own state; false for any other command.</summary>
    public bool TryHandle(BeanstalkCommand command, [NotNullWhen(true)] out BeanstalkReply? reply)
    {
        ArgumentNullException.ThrowIfNull(command);
        reply = command switch
        {
            BeanstalkCommand.Use use => (BeanstalkReply)Use(use.Tube),
            BeanstalkCommand.Watch watch => Watch(watch.Tube),
            BeanstalkCommand.Ignore ignore => Ignore(ignore.Tube),
            BeanstalkCommand.ListTubeUsed => BeanstalkReply.WithName("USING", UsedTube),
            BeanstalkCommand.ListTubesWatched => new BeanstalkReply.Data(YamlDocument.List(_watched)),
            BeanstalkCommand.Quit => BeanstalkReply.Closed,
            _ => null,
        };
        return reply is not null;
    }

    private BeanstalkReply.Line Use(string tube)
    {
        UsedTube = tube;
        return BeanstalkReply.WithName("USING", tube);
    }

    private BeanstalkReply.Line Watch(string tube)
    {
        if (!_watched.Contains(tube, StringComparer.Ordinal))
        {
            _watched.Add(tube);
        }

        return BeanstalkReply.WithNumber("WATCHING", (ulong)_watched.Count);
    }

    /// <summary>The last tube watched cannot be ignored (<c>NOT_IGNORED</c>); ignoring a tube not watched is no change.</summary>
    private BeanstalkReply.Line Ignore(string tube)
    {
        var at = _watched.FindIndex(t => string.Equals(t, tube, StringComparison.Ordinal));
        if (at >= 0 && _watched.Count < 2)
        {
            return BeanstalkReply.NotIgnored;
        }

        if (at >= 0)
        {
            _watched.RemoveAt(at);
        }

        return BeanstalkReply.WithNumber("WATCHING", (ulong)_watched.Count);
    }
}
