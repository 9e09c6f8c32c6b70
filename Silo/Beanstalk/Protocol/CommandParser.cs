using System.Text;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>
/// Reads one command line of the beanstalkd protocol (without its CRLF) the way beanstalkd 1.12 does (<c>prot.c</c>:
/// <c>which_cmd</c>, <c>read_u32</c>, <c>read_u64</c>, <c>is_valid_tube</c>), so that a client sees the same reply for
/// the same bytes: commands are matched by prefix in beanstalkd's order, numbers are decimal digits after any spaces,
/// tube names are 1–200 name characters not starting with '-', and a malformed line is <c>BAD_FORMAT</c>.
/// </summary>
public sealed class CommandParser(int maxJobSize)
{
    /// <summary>The longest command line, CRLF included (beanstalkd's <c>LINE_BUF_SIZE</c>).</summary>
    public const int MaxLineBytes = 224;

    /// <summary>The longest tube name.</summary>
    public const int MaxTubeName = QueueNames.MaxLength;

    private static readonly ParsedLine.Refused BadFormat = new(BeanstalkReply.BadFormat);
    private static readonly ParsedLine.Refused Unknown = new(BeanstalkReply.UnknownCommand);

    public ParsedLine Parse(ReadOnlySpan<byte> line)
    {
        // A NUL inside the line: beanstalkd compares its C-string length with the line's and refuses it.
        if (line.Contains((byte)0))
        {
            return BadFormat;
        }

        var text = Encoding.Latin1.GetString(line);
        return text switch
        {
            _ when text.StartsWith("put ", StringComparison.Ordinal) => ParsePut(text),
            _ when text.StartsWith("peek ", StringComparison.Ordinal) => WithId(text, "peek ".Length, id => new BeanstalkCommand.Peek(id)),
            _ when text.StartsWith("peek-ready", StringComparison.Ordinal) => Exactly(text, "peek-ready", new BeanstalkCommand.PeekState(PeekKind.Ready)),
            _ when text.StartsWith("peek-delayed", StringComparison.Ordinal) => Exactly(text, "peek-delayed", new BeanstalkCommand.PeekState(PeekKind.Delayed)),
            _ when text.StartsWith("peek-buried", StringComparison.Ordinal) => Exactly(text, "peek-buried", new BeanstalkCommand.PeekState(PeekKind.Buried)),
            _ when text.StartsWith("reserve-with-timeout ", StringComparison.Ordinal) => ParseReserveWithTimeout(text),
            _ when text.StartsWith("reserve-job ", StringComparison.Ordinal) => WithId(text, "reserve-job ".Length, id => new BeanstalkCommand.ReserveJob(id)),
            _ when text.StartsWith("reserve", StringComparison.Ordinal) => Exactly(text, "reserve", new BeanstalkCommand.Reserve(null)),
            _ when text.StartsWith("delete ", StringComparison.Ordinal) => WithId(text, "delete ".Length, id => new BeanstalkCommand.Delete(id)),
            _ when text.StartsWith("release ", StringComparison.Ordinal) => ParseRelease(text),
            _ when text.StartsWith("bury ", StringComparison.Ordinal) => ParseBury(text),
            _ when text.StartsWith("kick ", StringComparison.Ordinal) => ParseKick(text),
            _ when text.StartsWith("kick-job ", StringComparison.Ordinal) => WithId(text, "kick-job ".Length, id => new BeanstalkCommand.KickJob(id)),
            _ when text.StartsWith("touch ", StringComparison.Ordinal) => WithId(text, "touch ".Length, id => new BeanstalkCommand.Touch(id)),
            _ when text.StartsWith("stats-job ", StringComparison.Ordinal) => WithId(text, "stats-job ".Length, id => new BeanstalkCommand.StatsJob(id)),
            _ when text.StartsWith("stats-tube ", StringComparison.Ordinal) => WithTube(text, "stats-tube ", tube => new BeanstalkCommand.StatsTube(tube)),
            _ when text.StartsWith("stats", StringComparison.Ordinal) => Exactly(text, "stats", new BeanstalkCommand.Stats()),
            _ when text.StartsWith("use ", StringComparison.Ordinal) => WithTube(text, "use ", tube => new BeanstalkCommand.Use(tube)),
            _ when text.StartsWith("watch ", StringComparison.Ordinal) => WithTube(text, "watch ", tube => new BeanstalkCommand.Watch(tube)),
            _ when text.StartsWith("ignore ", StringComparison.Ordinal) => WithTube(text, "ignore ", tube => new BeanstalkCommand.Ignore(tube)),
            _ when text.StartsWith("list-tubes-watched", StringComparison.Ordinal) => Exactly(text, "list-tubes-watched", new BeanstalkCommand.ListTubesWatched()),
            _ when text.StartsWith("list-tube-used", StringComparison.Ordinal) => Exactly(text, "list-tube-used", new BeanstalkCommand.ListTubeUsed()),
            _ when text.StartsWith("list-tubes", StringComparison.Ordinal) => Exactly(text, "list-tubes", new BeanstalkCommand.ListTubes()),
            // beanstalkd closes on any line starting with "quit", with nothing after checked.
            _ when text.StartsWith("quit", StringComparison.Ordinal) => new ParsedLine.Command(new BeanstalkCommand.Quit()),
            _ when text.StartsWith("pause-tube", StringComparison.Ordinal) => ParsePauseTube(text),
            _ => Unknown,
        };
    }

    /// <summary>Whether <paramref name="name"/> is a tube name the protocol allows: a tube is a queue, so the rule is
    /// the queue names' (<see cref="QueueNames"/>).</summary>
    public static bool IsValidTube(string name) => QueueNames.IsValid(name);

    private ParsedLine ParsePut(string text)
    {
        var at = "put ".Length;
        if (!TryNumber(text, ref at, uint.MaxValue, toEnd: false, out var priority)
            || !TryNumber(text, ref at, uint.MaxValue, toEnd: false, out var delay)
            || !TryNumber(text, ref at, uint.MaxValue, toEnd: false, out var ttr)
            || !TryNumber(text, ref at, uint.MaxValue, toEnd: false, out var bytes))
        {
            return BadFormat;
        }

        // Checked before the trailing garbage, as beanstalkd does: the body is dropped and JOB_TOO_BIG answered.
        if (bytes > (ulong)maxJobSize)
        {
            return new ParsedLine.TooBig((long)bytes + 2);
        }

        if (at != text.Length)
        {
            return CountedBadFormat("put");
        }

        return new ParsedLine.Command(new BeanstalkCommand.Put((uint)priority, (uint)delay, Math.Max((uint)ttr, 1u), (int)bytes));
    }

    private static ParsedLine ParseReserveWithTimeout(string text)
    {
        // Whatever follows the number is not checked (beanstalkd reads it with an end pointer it then ignores).
        var at = "reserve-with-timeout ".Length;
        return TryNumber(text, ref at, int.MaxValue, toEnd: false, out var seconds)
            ? new ParsedLine.Command(new BeanstalkCommand.Reserve((uint)seconds))
            : BadFormat;
    }

    private static ParsedLine ParseRelease(string text)
    {
        var at = "release ".Length;
        return TryNumber(text, ref at, ulong.MaxValue, toEnd: false, out var id)
            && TryNumber(text, ref at, uint.MaxValue, toEnd: false, out var priority)
            && TryNumber(text, ref at, uint.MaxValue, toEnd: true, out var delay)
            ? new ParsedLine.Command(new BeanstalkCommand.Release(id, (uint)priority, (uint)delay))
            : BadFormat;
    }

    private static ParsedLine ParseBury(string text)
    {
        var at = "bury ".Length;
        return TryNumber(text, ref at, ulong.MaxValue, toEnd: false, out var id)
            && TryNumber(text, ref at, uint.MaxValue, toEnd: true, out var priority)
            ? new ParsedLine.Command(new BeanstalkCommand.Bury(id, (uint)priority))
            : BadFormat;
    }

    private static ParsedLine ParseKick(string text)
    {
        // beanstalkd reads the bound with strtoul into an unsigned int and ignores what follows the digits: an optional
        // sign, a negative bound wrapping around (-1 kicks as many as there are), and only the low 32 bits counting
        // (4294967297 kicks one). A bound past 64 bits is refused.
        var at = "kick ".Length;
        while (at < text.Length && text[at] == ' ')
        {
            at++;
        }

        var negative = at < text.Length && text[at] == '-';
        if (at < text.Length && text[at] is '+' or '-')
        {
            at++;
        }

        return at < text.Length && char.IsAsciiDigit(text[at]) && TryNumber(text, ref at, ulong.MaxValue, toEnd: false, out var bound)
            ? new ParsedLine.Command(new BeanstalkCommand.Kick(unchecked((uint)(negative ? 0UL - bound : bound))))
            : BadFormat;
    }

    private static ParsedLine ParsePauseTube(string text)
    {
        var at = "pause-tube".Length;
        while (at < text.Length && text[at] == ' ')
        {
            at++;
        }

        var start = at;
        while (at < text.Length && IsNameChar(text[at]))
        {
            at++;
        }

        var tube = text[start..at];
        if (tube.Length == 0 || !TryNumber(text, ref at, uint.MaxValue, toEnd: true, out var delay))
        {
            return BadFormat;
        }

        // The name is checked after the command is counted, as beanstalkd does.
        return IsValidTube(tube)
            ? new ParsedLine.Command(new BeanstalkCommand.PauseTube(tube, (uint)delay))
            : CountedBadFormat("pause-tube");
    }

    /// <summary><c>BAD_FORMAT</c> for a line beanstalkd refuses after it counted its command in <c>stats</c>.</summary>
    private static ParsedLine.Refused CountedBadFormat(string command) => new(BeanstalkReply.BadFormat, Counted: command);

    private static ParsedLine WithId(string text, int at, Func<ulong, BeanstalkCommand> make) =>
        TryNumber(text, ref at, ulong.MaxValue, toEnd: true, out var id) ? new ParsedLine.Command(make(id)) : BadFormat;

    private static ParsedLine WithTube(string text, string prefix, Func<string, BeanstalkCommand> make)
    {
        // The name is everything after the command and its one space: no other spaces are skipped.
        var tube = text[prefix.Length..];
        return IsValidTube(tube) ? new ParsedLine.Command(make(tube)) : BadFormat;
    }

    /// <summary>A command without arguments: matched by prefix, so anything after it is trailing garbage.</summary>
    private static ParsedLine Exactly(string text, string name, BeanstalkCommand command) =>
        text.Length == name.Length ? new ParsedLine.Command(command) : BadFormat;

    /// <summary>beanstalkd's <c>read_u64</c>/<c>read_u32</c>: spaces, then at least one decimal digit; a value past
    /// <paramref name="max"/> (or past 64 bits) is refused; with <paramref name="toEnd"/> nothing may follow.</summary>
    private static bool TryNumber(string text, ref int at, ulong max, bool toEnd, out ulong value)
    {
        value = 0;
        var i = at;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        if (i == text.Length || !char.IsAsciiDigit(text[i]))
        {
            return false;
        }

        ulong number = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            var digit = (ulong)(text[i] - '0');
            if (number > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            number = number * 10 + digit;
        }

        if ((toEnd && i != text.Length) || number > max)
        {
            return false;
        }

        value = number;
        at = i;
        return true;
    }

    private static bool IsNameChar(char c) => QueueNames.IsNameChar(c);
}
