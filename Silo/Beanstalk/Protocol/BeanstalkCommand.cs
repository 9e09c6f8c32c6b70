namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>One well-formed command of the beanstalkd protocol (1.12), as <see cref="CommandParser"/> reads it from its
/// line. Priorities are 32-bit unsigned, ids 64-bit unsigned, times whole seconds (32-bit unsigned), as the protocol
/// defines them.</summary>
public abstract record BeanstalkCommand
{
    private BeanstalkCommand()
    {
    }

    /// <summary>The protocol's name of the command, for logs and statistics (<c>cmd-put</c> and so on).</summary>
    public abstract string Name { get; }

    /// <summary><c>put &lt;pri&gt; &lt;delay&gt; &lt;ttr&gt; &lt;bytes&gt;</c>; the body follows the line.
    /// A ttr of 0 is raised to 1, as beanstalkd does.</summary>
    public sealed record Put(uint Priority, uint Delay, uint TimeToRun, int BodyBytes) : BeanstalkCommand
    {
        public override string Name => "put";

        /// <summary>The body, once the connection has read it.</summary>
        public ReadOnlyMemory<byte> Body { get; init; }
    }

    public sealed record Use(string Tube) : BeanstalkCommand
    {
        public override string Name => "use";
    }

    /// <summary><c>reserve</c> (no timeout) or <c>reserve-with-timeout &lt;seconds&gt;</c>.</summary>
    public sealed record Reserve(uint? TimeoutSeconds) : BeanstalkCommand
    {
        public override string Name => TimeoutSeconds is null ? "reserve" : "reserve-with-timeout";
    }

    public sealed record ReserveJob(ulong Id) : BeanstalkCommand
    {
        public override string Name => "reserve-job";
    }

    public sealed record Delete(ulong Id) : BeanstalkCommand
    {
        public override string Name => "delete";
    }

    public sealed record Release(ulong Id, uint Priority, uint Delay) : BeanstalkCommand
    {
        public override string Name => "release";
    }

    public sealed record Bury(ulong Id, uint Priority) : BeanstalkCommand
    {
        public override string Name => "bury";
    }

    public sealed record Touch(ulong Id) : BeanstalkCommand
    {
        public override string Name => "touch";
    }

    public sealed record Watch(string Tube) : BeanstalkCommand
    {
        public override string Name => "watch";
    }

    public sealed record Ignore(string Tube) : BeanstalkCommand
    {
        public override string Name => "ignore";
    }

    /// <summary><c>peek &lt;id&gt;</c>.</summary>
    public sealed record Peek(ulong Id) : BeanstalkCommand
    {
        public override string Name => "peek";
    }

    /// <summary><c>peek-ready</c>, <c>peek-delayed</c> or <c>peek-buried</c> on the tube in use.</summary>
    public sealed record PeekState(PeekKind Kind) : BeanstalkCommand
    {
        public override string Name => Kind switch
        {
            PeekKind.Ready => "peek-ready",
            PeekKind.Delayed => "peek-delayed",
            _ => "peek-buried",
        };
    }

    public sealed record Kick(uint Bound) : BeanstalkCommand
    {
        public override string Name => "kick";
    }

    public sealed record KickJob(ulong Id) : BeanstalkCommand
    {
        public override string Name => "kick-job";
    }

    public sealed record StatsJob(ulong Id) : BeanstalkCommand
    {
        public override string Name => "stats-job";
    }

    public sealed record StatsTube(string Tube) : BeanstalkCommand
    {
        public override string Name => "stats-tube";
    }

    public sealed record Stats : BeanstalkCommand
    {
        public override string Name => "stats";
    }

    public sealed record ListTubes : BeanstalkCommand
    {
        public override string Name => "list-tubes";
    }

    public sealed record ListTubeUsed : BeanstalkCommand
    {
        public override string Name => "list-tube-used";
    }

    public sealed record ListTubesWatched : BeanstalkCommand
    {
        public override string Name => "list-tubes-watched";
    }

    public sealed record PauseTube(string Tube, uint Delay) : BeanstalkCommand
    {
        public override string Name => "pause-tube";
    }

    public sealed record Quit : BeanstalkCommand
    {
        public override string Name => "quit";
    }
}

public enum PeekKind
{
    Ready,
    Delayed,
    Buried,
}
