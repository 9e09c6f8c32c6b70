using System.Diagnostics.CodeAnalysis;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>
/// One connection's own state: the tube its <c>put</c>s go to (<c>use</c>) and the tubes its <c>reserve</c>s take from
/// (<c>watch</c>, <c>ignore</c>). Both start as <c>default</c>. It answers the commands that only read or change this
/// state; the job commands go to <see cref="IBeanstalkJobs"/>, which reads it. Used by one connection's loop at a
/// time, so it needs no lock. With a <see cref="GatewayRegistry"/>, it tells it the tubes it starts and stops using
/// or watching (<see cref="Open"/> and <see cref="Close"/> bracket the connection).
/// </summary>
public sealed class BeanstalkSession(long connectionId, GatewayRegistry? registry = null)
{
    public const string DefaultTube = "default";

    private readonly List<string> _watched = [DefaultTube];

    /// <summary>A number naming the connection in logs, unique within the silo process.</summary>
    public long ConnectionId { get; } = connectionId;

    public string UsedTube { get; private set; } = DefaultTube;

    /// <summary>The watch list, in beanstalkd's order: a tube watched goes last, and the last takes the place of a tube
    /// ignored.</summary>
    public IReadOnlyList<string> Watched => _watched;

    /// <summary>It has sent a <c>put</c> (beanstalkd's producer).</summary>
    public bool IsProducer { get; private set; }

    /// <summary>It has sent a <c>reserve</c> (beanstalkd's worker).</summary>
    public bool IsWorker { get; private set; }

    /// <summary>The connection opened: it uses and watches <c>default</c>.</summary>
    public void Open() => registry?.Opened(DefaultTube);

    /// <summary>The connection closed: it no longer uses or watches any tube.</summary>
    public void Close() => registry?.Closed(UsedTube, _watched, IsProducer, IsWorker);

    /// <summary>Notes a job command for <c>stats</c>: its count, and whether the connection became a producer or a
    /// worker.</summary>
    public void Count(BeanstalkCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Count(command.Name, producer: command is BeanstalkCommand.Put);
        if (command is BeanstalkCommand.Reserve or BeanstalkCommand.ReserveJob && !IsWorker)
        {
            IsWorker = true;
            registry?.Became(producer: false);
        }
    }

    /// <summary>Notes a refused line that <c>stats</c> counts all the same (<see cref="ParsedLine.Refused.Counted"/>):
    /// its command's count, and whether it made the connection a producer.</summary>
    public void Count(ParsedLine.Refused refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        if (refused.Counted is { } name)
        {
            Count(name, refused.Producer);
        }
    }

    private void Count(string name, bool producer)
    {
        registry?.Command(name);
        if (producer && !IsProducer)
        {
            IsProducer = true;
            registry?.Became(producer: true);
        }
    }

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
        if (tube != UsedTube)
        {
            registry?.Used(UsedTube, tube);
        }

        UsedTube = tube;
        return BeanstalkReply.WithName("USING", tube);
    }

    private BeanstalkReply.Line Watch(string tube)
    {
        if (!_watched.Contains(tube, StringComparer.Ordinal))
        {
            _watched.Add(tube);
            registry?.Watched(tube);
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
            // beanstalkd's watch list is a set (ms.c, ms_remove): the last tube takes the place of the one removed.
            _watched[at] = _watched[^1];
            _watched.RemoveAt(_watched.Count - 1);
            registry?.Ignored(tube);
        }

        return BeanstalkReply.WithNumber("WATCHING", (ulong)_watched.Count);
    }
}
