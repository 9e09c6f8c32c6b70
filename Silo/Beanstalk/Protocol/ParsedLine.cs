namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>What <see cref="CommandParser"/> made of one command line: a command, a refusal to answer at once, or a
/// <c>put</c> whose body is too big (its body must still be read and dropped before the refusal is sent).</summary>
public abstract record ParsedLine
{
    private ParsedLine()
    {
    }

    public sealed record Command(BeanstalkCommand Value) : ParsedLine;

    public sealed record Refused(BeanstalkReply.Line Reply) : ParsedLine;

    /// <summary>A <c>put</c> over the size limit: skip <see cref="SkipBytes"/> (the body and its CRLF), then answer
    /// <c>JOB_TOO_BIG</c>.</summary>
    public sealed record TooBig(long SkipBytes) : ParsedLine;
}
