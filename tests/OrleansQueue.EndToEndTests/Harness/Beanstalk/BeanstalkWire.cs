using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansQueue.EndToEndTests.Harness.Beanstalk;

/// <summary>
/// A raw beanstalkd-protocol connection for tests: sends exactly the bytes given (so malformed input can be sent) and
/// reads replies line by line, each read bounded by a timeout. Not a client library: the tests spell the protocol out.
/// </summary>
public sealed class BeanstalkWire : IAsyncDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private Task<int>? _pendingRead;

    private BeanstalkWire(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<BeanstalkWire> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(ReplyTimeout);
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return new BeanstalkWire(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> as it is (Latin-1, so any byte can be written as a char).</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    /// <summary>Sends one command line (CRLF added) and reads the reply line.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadLineAsync();
    }

    /// <summary>The next reply line, without its CRLF.</summary>
    /// <exception cref="EndOfStreamException">The server closed the connection.</exception>
    public async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at > _start && _buffer[at - 1] == '\r')
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, at - 1 - _start);
                _start = at + 1;
                return line;
            }

            if (!await FillAsync(ReplyTimeout))
            {
                throw new EndOfStreamException($"the server closed the connection; unread: '{Encoding.Latin1.GetString(_buffer, _start, _end - _start)}'");
            }
        }
    }

    /// <summary>Reads a body of <paramref name="length"/> bytes and its CRLF; returns the body.</summary>
    public async Task<byte[]> ReadBodyAsync(int length)
    {
        while (_end - _start < length + 2)
        {
            if (!await FillAsync(ReplyTimeout))
            {
                throw new EndOfStreamException("the server closed the connection inside a body");
            }
        }

        var body = _buffer.AsSpan(_start, length).ToArray();
        Assert.Equal("\r\n", Encoding.Latin1.GetString(_buffer, _start + length, 2));
        _start += length + 2;
        return body;
    }

    /// <summary>Sends a command whose reply is <c>OK &lt;bytes&gt;</c> and a YAML document; returns the document.</summary>
    public async Task<string> DataAsync(string line)
    {
        var reply = await CommandAsync(line);
        Assert.StartsWith("OK ", reply, StringComparison.Ordinal);
        return Encoding.Latin1.GetString(await ReadBodyAsync(int.Parse(reply[3..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>True when the server closes the connection within <paramref name="timeout"/> without sending more.</summary>
    public async Task<bool> IsClosedWithinAsync(TimeSpan timeout)
    {
        try
        {
            return !await FillAsync(timeout) && _start == _end;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>True when the server sends nothing, and does not close the connection, for <paramref name="time"/>: it
    /// is still waiting for the rest of a command. The connection can be read on afterwards.</summary>
    public async Task<bool> IsSilentForAsync(TimeSpan time)
    {
        if (_start != _end)
        {
            return false;
        }

        try
        {
            await FillAsync(time);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    /// <summary>Reads more bytes; false when the server closed the connection. A read that times out is not cancelled
    /// but kept for the next call, so no byte that comes later is lost.</summary>
    private async Task<bool> FillAsync(TimeSpan timeout)
    {
        if (_start > 0 && _pendingRead is null)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = _pendingRead ?? _stream.ReadAsync(_buffer.AsMemory(_end)).AsTask();
        _pendingRead = null;
        try
        {
            var count = await read.WaitAsync(timeout);
            _end += count;
            return count > 0;
        }
        catch (TimeoutException)
        {
            _pendingRead = read;
            throw new TimeoutException($"no reply within {timeout.TotalSeconds} s; unread: '{Encoding.Latin1.GetString(_buffer, _start, _end - _start)}'");
        }
        catch (IOException)
        {
            // Reset by the server: closed, as far as the test is concerned.
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
