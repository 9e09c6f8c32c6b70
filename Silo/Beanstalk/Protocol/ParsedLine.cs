namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>What <see cref="CommandParser"/> made of one command line: a command, a refusal to answer at once, or a
/// <c>put</c> whose body is too big (its body must still be read and dropped before the refusal is sent).</summary>
public abstract record ParsedLine
{
    private ParsedLine()
    {
    }

    public sealed record Command(BeanstalkCommand Value) : ParsedLine;

    /// <summary>A line answered at once with <paramref name="Reply"/>.</summary>
    /// <param name="Reply">The refusal.</param>
    /// <param name="Counted">The command <c>stats</c> counts (<c>cmd-*</c>) for the line all the same, or null: beanstalkd
    /// counts a <c>put</c> once it has read its four numbers (so one refused <c>JOB_TOO_BIG</c>, <c>EXPECTED_CRLF</c>,
    /// or <c>BAD_FORMAT</c> for what follows them) and a <c>pause-tube</c> once it has read its name and delay (so one
    /// refused for a name starting with '-' or over 200 bytes).</param>
    /// <param name="Producer">The line makes its connection a producer (<c>current-producers</c>): a <c>put</c> refused
    /// <c>EXPECTED_CRLF</c>, whose line beanstalkd took before it refused the body.</param>
    public sealed record Refused(BeanstalkReply.Line Reply, string? Counted = null, bool Producer = false) : ParsedLine;

    /// <summary>A <c>put</c> over the size limit: skip <see cref="SkipBytes"/> (the body and its CRLF), then answer
    /// <c>JOB_TOO_BIG</c>.</summary>
    public sealed record TooBig(long SkipBytes) : ParsedLine;
}
