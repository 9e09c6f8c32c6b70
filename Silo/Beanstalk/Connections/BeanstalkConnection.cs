using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>
/// One client connection. A reader cuts the bytes into commands (<see cref="FrameReader"/>) while the commands read
/// so far are carried out one after the other and answered in order; replies to pipelined commands go out together.
/// The two meet in a small bounded channel: a client that sends without reading its replies fills its socket, then the
/// channel, then stops being read, so it holds a bounded amount of memory and slows nobody else. When the client
/// closes, a command waiting for a job gives up, the commands already read are answered, and the connection's
/// reservations go back to the queue (<see cref="IBeanstalkJobs.ConnectionClosedAsync"/>).
/// </summary>
internal sealed partial class BeanstalkConnection(
    Socket socket,
    BeanstalkSession session,
    CommandParser parser,
    IBeanstalkJobs jobs,
    TimeSpan stalledTimeout,
    TimeProvider time,
    BeanstalkInstruments instruments,
    GatewayRegistry registry,
    ILogger logger)
{
    /// <summary>Commands read ahead of the one being carried out.</summary>
    private const int ReadAhead = 64;

    public async Task RunAsync(CancellationToken stopping)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true));
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        var requests = Channel.CreateBounded<ParsedLine>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        session.Open();
        LogOpened(session.ConnectionId, socket.RemoteEndPoint);

        var reading = ReadAsync(new FrameReader(input, parser, stalledTimeout, time), requests.Writer, gone);
        try
        {
            await ExecuteAsync(requests.Reader, output, gone.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // The client went away while its replies were written, or the silo is stopping.
        }
        finally
        {
            await gone.CancelAsync();
            await reading;
            await input.CompleteAsync();
            await output.CompleteAsync();
            await jobs.ConnectionClosedAsync(session);
            session.Close();
            LogClosed(session.ConnectionId);
        }
    }

    /// <summary>Reads commands until the client closes, stalls or the connection ends; then cancels
    /// <paramref name="gone"/> so a waiting command gives up.</summary>
    private async Task ReadAsync(FrameReader reader, ChannelWriter<ParsedLine> requests, CancellationTokenSource gone)
    {
        try
        {
            while (await reader.ReadAsync(gone.Token) is { } request)
            {
                await requests.WriteAsync(request, gone.Token);
            }
        }
        catch (StalledCommandException ex)
        {
            LogStalled(session.ConnectionId, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Reset by the client, or the connection is ending.
        }
        catch (Exception ex)
        {
            // A fault of this reader ends this connection only; the commands read so far are still answered.
            LogReadFailed(ex, session.ConnectionId);
        }
        finally
        {
            requests.TryComplete();
            await gone.CancelAsync();
        }
    }

    private async Task ExecuteAsync(ChannelReader<ParsedLine> requests, PipeWriter output, CancellationToken clientGone)
    {
        var puts = new List<Task<BeanstalkReply>>();
        await foreach (var request in requests.ReadAllAsync(CancellationToken.None))
        {
            if (IsPut(request))
            {
                // Pipelined puts are carried out together, so that they share submit calls; they are numbered and queued
                // in their order, and answered in it.
                puts.Add(AnswerAsync(request, clientGone).AsTask());
                while (puts.Count < ReadAhead && requests.TryPeek(out var next) && IsPut(next) && requests.TryRead(out next))
                {
                    puts.Add(AnswerAsync(next, clientGone).AsTask());
                }

                foreach (var put in puts)
                {
                    ReplyWriter.Write(output, await put);
                }

                puts.Clear();
                if (!requests.TryPeek(out _))
                {
                    await output.FlushAsync(CancellationToken.None);
                }

                continue;
            }

            if (request is ParsedLine.Command { Value: BeanstalkCommand.Reserve } && output.UnflushedBytes > 0)
            {
                // A reserve may wait: the replies to the commands before it go out now, not when it is answered.
                await output.FlushAsync(CancellationToken.None);
            }

            var reply = await AnswerAsync(request, clientGone);
            if (reply is BeanstalkReply.Close)
            {
                break;
            }

            ReplyWriter.Write(output, reply);
            // Replies to pipelined commands go out in one write: flush only when no command is waiting.
            if (!requests.TryPeek(out _))
            {
                await output.FlushAsync(CancellationToken.None);
            }
        }

        await output.FlushAsync(CancellationToken.None);
    }

    private static bool IsPut(ParsedLine request) => request is ParsedLine.Command { Value: BeanstalkCommand.Put };

    /// <summary>The per-tube counts of <c>stats-tube</c> a command's success adds to (a delete's is counted where the
    /// job's tube is known, by the jobs).</summary>
    private void Counted(BeanstalkCommand command, BeanstalkReply reply)
    {
        switch (command)
        {
            case BeanstalkCommand.Put when reply is BeanstalkReply.Line { Text: var text } && text.StartsWith("INSERTED", StringComparison.Ordinal):
                registry.Put(session.UsedTube);
                break;
            case BeanstalkCommand.PauseTube pause when reply == BeanstalkReply.Paused:
                registry.Paused(pause.Tube);
                break;
        }
    }

    private async ValueTask<BeanstalkReply> AnswerAsync(ParsedLine request, CancellationToken clientGone)
    {
        switch (request)
        {
            case ParsedLine.Command { Value: var command }:
                instruments.Command(command.Name);
                session.Count(command);
                if (session.TryHandle(command, out var reply))
                {
                    return reply;
                }

                // beanstalkd's drain mode: no new job, while everything else (reserves of the jobs there) goes on.
                if (command is BeanstalkCommand.Put && registry.Draining)
                {
                    return BeanstalkReply.Draining;
                }

                // A reserve counts as waiting (current-waiting) on the tubes it watches until it is answered.
                var waiting = command is BeanstalkCommand.Reserve ? session.Watched.ToArray() : null;
                if (waiting is not null)
                {
                    registry.Waiting(waiting, 1);
                }

                try
                {
                    reply = await jobs.ExecuteAsync(command, session, clientGone);
                    Counted(command, reply);
                    return reply;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !clientGone.IsCancellationRequested)
                {
                    LogCommandFailed(ex, session.ConnectionId, command.Name);
                    return BeanstalkReply.InternalError;
                }
                finally
                {
                    if (waiting is not null)
                    {
                        registry.Waiting(waiting, -1);
                    }
                }

            case ParsedLine.Refused refused:
                instruments.Command("invalid");
                session.Count(refused);
                return refused.Reply;
            default:
                instruments.Command("invalid");
                return BeanstalkReply.BadFormat;
        }
    }
}
