using System.Buffers;
using System.IO.Pipelines;

namespace OrleansQueue.Silo.Beanstalk.Protocol;

/// <summary>
/// Cuts a connection's bytes into commands: a line ending in CRLF, and for <c>put</c> its body and CRLF. It enforces
/// the protocol's limits without holding more than one command in memory: a line over 224 bytes (CRLF included) is
/// read to its end and dropped (<c>BAD_FORMAT</c>); a body over the size limit is read and dropped
/// (<c>JOB_TOO_BIG</c>); a body not followed by CRLF is dropped (<c>EXPECTED_CRLF</c>). A command begun but not
/// finished within <paramref name="stalledTimeout"/> ends the connection (<see cref="StalledCommandException"/>);
/// waiting between commands has no limit.
/// </summary>
public sealed class FrameReader(PipeReader input, CommandParser parser, TimeSpan stalledTimeout, TimeProvider time)
{
    /// <summary>The next command or the reply refusing it, or null when the client closed the connection.</summary>
    /// <exception cref="StalledCommandException">The client began a command and stopped sending.</exception>
    public async ValueTask<ParsedLine?> ReadAsync(CancellationToken cancellationToken)
    {
        // Once a byte of the command has come, the rest is due within the stall timeout.
        var begun = false;
        var tooLong = false;
        while (true)
        {
            var result = await ReadMoreAsync(midCommand: begun, cancellationToken);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8, advancePastDelimiter: true))
            {
                // Parsed before the bytes are handed back to the pipe, which may reuse them.
                var parsed = tooLong || line.Length + 2 > CommandParser.MaxLineBytes
                    ? new ParsedLine.Refused(BeanstalkReply.BadFormat)
                    : parser.Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray());
                input.AdvanceTo(reader.Position);
                return await CompleteAsync(parsed, cancellationToken);
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return null;
            }

            if (buffer.Length >= CommandParser.MaxLineBytes)
            {
                // Too long to be a command: drop what came so far but its last byte (a CR whose LF is yet to come),
                // and keep dropping until the line ends; then the line is refused.
                tooLong = true;
                input.AdvanceTo(buffer.GetPosition(buffer.Length - 1), buffer.End);
            }
            else
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            begun |= buffer.Length > 0;
        }
    }

    /// <summary>Reads what follows a line: a <c>put</c>'s body, or the body of one too big, which is dropped.</summary>
    private async ValueTask<ParsedLine?> CompleteAsync(ParsedLine parsed, CancellationToken cancellationToken)
    {
        switch (parsed)
        {
            case ParsedLine.TooBig tooBig:
                return await SkipAsync(tooBig.SkipBytes, cancellationToken)
                    ? new ParsedLine.Refused(BeanstalkReply.JobTooBig)
                    : null;
            case ParsedLine.Command { Value: BeanstalkCommand.Put put }:
                var body = await ReadBodyAsync(put.BodyBytes + 2, cancellationToken);
                if (body is null)
                {
                    return null;
                }

                return body.AsSpan(put.BodyBytes).SequenceEqual("\r\n"u8)
                    ? new ParsedLine.Command(put with { Body = body.AsMemory(0, put.BodyBytes) })
                    : new ParsedLine.Refused(BeanstalkReply.ExpectedCrlf);
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
