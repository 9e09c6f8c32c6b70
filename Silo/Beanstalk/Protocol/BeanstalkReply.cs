using System.Globalization;

namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>One reply of the beanstalkd protocol: a line, a job (line and body), a YAML document (<c>OK</c> and
/// body), or the end of the connection (<c>quit</c>). <see cref="ReplyWriter"/> puts it on the wire.</summary>
public abstract record BeanstalkReply
{
    private BeanstalkReply()
    {
    }

    public static readonly Line BadFormat = new("BAD_FORMAT");
    public static readonly Line UnknownCommand = new("UNKNOWN_COMMAND");
    public static readonly Line ExpectedCrlf = new("EXPECTED_CRLF");
    public static readonly Line JobTooBig = new("JOB_TOO_BIG");
    public static readonly Line NotFound = new("NOT_FOUND");
    public static readonly Line TimedOut = new("TIMED_OUT");
    public static readonly Line DeadlineSoon = new("DEADLINE_SOON");
    public static readonly Line NotIgnored = new("NOT_IGNORED");
    public static readonly Line Draining = new("DRAINING");
    public static readonly Line InternalError = new("INTERNAL_ERROR");
    public static readonly Line Deleted = new("DELETED");
    public static readonly Line Released = new("RELEASED");
    public static readonly Line Buried = new("BURIED");
    public static readonly Line Touched = new("TOUCHED");
    public static readonly Line Kicked = new("KICKED");
    public static readonly Line Paused = new("PAUSED");
    public static readonly Close Closed = new();

    /// <summary>A reply word and a number: <c>INSERTED 5</c>, <c>WATCHING 2</c>, <c>KICKED 3</c>.</summary>
    public static Line WithNumber(string word, ulong number) => new($"{word} {number.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>A reply word and a tube name: <c>USING name</c>.</summary>
    public static Line WithName(string word, string name) => new($"{word} {name}");

    /// <summary>A single line, sent with CRLF.</summary>
    public sealed record Line(string Text) : BeanstalkReply;

    /// <summary><c>RESERVED</c> or <c>FOUND</c>: <c>WORD id bytes</c>, then the body and CRLF.</summary>
    public sealed record Job(string Word, ulong Id, ReadOnlyMemory<byte> Body) : BeanstalkReply;

    /// <summary><c>OK bytes</c>, then the YAML document and CRLF.</summary>
    public sealed record Data(ReadOnlyMemory<byte> Yaml) : BeanstalkReply;

    /// <summary>No reply: the server closes the connection (<c>quit</c>).</summary>
    public sealed record Close : BeanstalkReply;
}
