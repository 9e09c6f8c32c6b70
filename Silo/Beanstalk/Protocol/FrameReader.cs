using System.Buffers;
using System.IO.Pipelines;

namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>
/// Cuts a connection's bytes into commands: a line ending in CRLF, and for <c>put</c> its body and CRLF. Lines end where
/// beanstalkd 1.12 ends them (<c>prot.c</c>: <c>conn_process_io</c>, <c>scan_line_end</c>): it looks at a line's bytes
/// 224 at a time, and only the first CR among them can end the line, when an LF follows it. So a line with a lone CR in
/// it is not ended by a later CRLF: nothing is answered until 224 bytes have come (<c>list\rtubes\r\n</c> waits), and a
/// line that has not ended within 224 bytes (CRLF included) is refused (<c>BAD_FORMAT</c>) where it does end, its bytes
/// dropped 224 at a time as they come. It enforces the protocol's other limits without holding more than one command in
/// memory: a body over the size limit is read and dropped (<c>JOB_TOO_BIG</c>); a body not followed by CRLF is dropped
/// (<c>EXPECTED_CRLF</c>). A command begun but not finished within <paramref name="stalledTimeout"/> ends the connection
/// (<see cref="StalledCommandException"/>); waiting between commands has no limit.
/// </summary>
public sealed class FrameReader(PipeReader input, CommandParser parser, TimeSpan stalledTimeout, TimeProvider time)
{
    /// <summary>A <c>put</c> beanstalkd counts in <c>stats</c> though it refuses it.</summary>
    private const string CountedPut = "put";

    /// <summary>What the next bytes of a line are: its end, too few to tell, or 224 bytes that do not end it.</summary>
    private enum Scan
    {
        LineEnd,
        More,
        Drop,
    }

    /// <summary>The next command or the reply refusing it, or null when the client closed the connection.</summary>
    /// <exception cref="StalledCommandException">The client began a command and stopped sending.</exception>
    public async ValueTask<ParsedLine?> ReadAsync(CancellationToken cancellationToken)
    {
        // Once a byte of the command has come, the rest is due within the stall timeout.
        var begun = false;
        // 224 bytes of the line were dropped: wherever it ends, it is refused (beanstalkd's STATE_WANT_ENDLINE).
        var tooLong = false;
        while (true)
        {
            var result = await ReadMoreAsync(midCommand: begun, cancellationToken);
            var buffer = result.Buffer;
            switch (ScanLine(buffer, out var cr))
            {
                case Scan.LineEnd:
                    // Parsed before the bytes are handed back to the pipe, which may reuse them.
                    var line = buffer.Slice(0, cr);
                    var parsed = tooLong || cr + 2 > CommandParser.MaxLineBytes
                        ? new ParsedLine.Refused(BeanstalkReply.BadFormat)
                        : parser.Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray());
                    input.AdvanceTo(buffer.GetPosition(cr + 2));
                    return await CompleteAsync(parsed, cancellationToken);
                case Scan.Drop:
                    // The bytes after the 224 dropped are looked at without waiting for more.
                    tooLong = true;
                    begun = true;
                    input.AdvanceTo(buffer.GetPosition(CommandParser.MaxLineBytes));
                    continue;
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            begun |= buffer.Length > 0;
        }
    }

    /// <summary>
    /// beanstalkd's <c>scan_line_end</c> over the first 224 bytes of <paramref name="buffer"/> (its line buffer): the
    /// first CR among them but the last ends the line, at <paramref name="cr"/>, if an LF follows it; a lone CR first
    /// means this line does not end within them. One difference: where none of the 223 is a CR and the 224th is, with an
    /// LF after it, beanstalkd 1.12 does not look at it, so it misses that CRLF and drops the next line with this one;
    /// here that CRLF ends the (too long) line.
    /// </summary>
    private static Scan ScanLine(in ReadOnlySequence<byte> buffer, out long cr)
    {
        cr = -1;
        var look = (int)Math.Min(buffer.Length, CommandParser.MaxLineBytes + 1);
        if (look == 0)
        {
            return Scan.More;
        }

        Span<byte> copy = stackalloc byte[CommandParser.MaxLineBytes + 1];
        ReadOnlySpan<byte> bytes = buffer.FirstSpan.Length >= look ? buffer.FirstSpan[..look] : Copy(buffer.Slice(0, look), copy);
        var window = bytes[..Math.Min(look, CommandParser.MaxLineBytes)];
        var first = window[..^1].IndexOf((byte)'\r');
        if (first >= 0)
        {
            cr = first;
            return window[first + 1] == '\n' ? Scan.LineEnd
                : window.Length == CommandParser.MaxLineBytes ? Scan.Drop
                : Scan.More;
        }

        if (window.Length < CommandParser.MaxLineBytes)
        {
            return Scan.More;
        }

        if (window[^1] == '\r')
        {
            if (bytes.Length == window.Length)
            {
                return Scan.More;
            }

            if (bytes[^1] == '\n')
            {
                cr = window.Length - 1;
                return Scan.LineEnd;
            }
        }

        return Scan.Drop;
    }

    private static ReadOnlySpan<byte> Copy(in ReadOnlySequence<byte> bytes, Span<byte> into)
    {
        bytes.CopyTo(into);
        return into[..(int)bytes.Length];
    }

    /// <summary>Reads what follows a line: a <c>put</c>'s body, or the body of one too big, which is dropped.</summary>
    private async ValueTask<ParsedLine?> CompleteAsync(ParsedLine parsed, CancellationToken cancellationToken)
    {
        switch (parsed)
        {
            case ParsedLine.TooBig tooBig:
                return await SkipAsync(tooBig.SkipBytes, cancellationToken)
                    ? new ParsedLine.Refused(BeanstalkReply.JobTooBig, Counted: CountedPut)
                    : null;
            case ParsedLine.Command { Value: BeanstalkCommand.Put put }:
                var body = await ReadBodyAsync(put.BodyBytes + 2, cancellationToken);
                if (body is null)
                {
                    return null;
                }

                return body.AsSpan(put.BodyBytes).SequenceEqual("\r\n"u8)
                    ? new ParsedLine.Command(put with { Body = body.AsMemory(0, put.BodyBytes) })
                    // beanstalkd took the line, counting the put and its connection as a producer; it refuses the body.
                    : new ParsedLine.Refused(BeanstalkReply.ExpectedCrlf, Counted: CountedPut, Producer: true);
            default:
                return parsed;
        }
    }

    private async ValueTask<byte[]?> ReadBodyAsync(int length, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReadMoreAsync(midCommand: true, cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= length)
            {
                var body = buffer.Slice(0, length).ToArray();
                input.AdvanceTo(buffer.GetPosition(length));
                return body;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    private async ValueTask<bool> SkipAsync(long length, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            var result = await ReadMoreAsync(midCommand: true, cancellationToken);
            var buffer = result.Buffer;
            var take = Math.Min(length, buffer.Length);
            input.AdvanceTo(buffer.GetPosition(take));
            length -= take;
            if (length > 0 && result.IsCompleted)
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<ReadResult> ReadMoreAsync(bool midCommand, CancellationToken cancellationToken)
    {
        if (!midCommand)
        {
            return await input.ReadAsync(cancellationToken);
        }

        using var stall = new CancellationTokenSource(stalledTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stall.Token);
        try
        {
            return await input.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StalledCommandException(stalledTimeout);
        }
    }
}

/// <summary>A client began a command and did not finish it in time; its connection is closed.</summary>
public sealed class StalledCommandException(TimeSpan timeout)
    : Exception($"the client began a command and sent nothing more for {timeout.TotalSeconds:0.#} s");
