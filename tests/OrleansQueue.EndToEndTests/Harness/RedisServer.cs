using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, with the persistence the README asks of production (append-only
/// file, fsync every second, no snapshots) in a temporary folder. It can be stopped and started again on the same port
/// and data. Disposing kills it and deletes the folder, whatever the outcome.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _program;
    private readonly string? _password;
    private ProcessRunner? _process;
    private readonly List<ProcessRunner> _runs = [];

    private RedisServer(string program, int port, string folder, string? password)
    {
        _program = program;
        _password = password;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    /// <summary>Where Redis keeps its append-only file.</summary>
    public string Folder { get; }

    /// <summary>The <c>--redis</c> value for the silos, workers and console.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Every run of the server so far, for diagnostics.</summary>
    public IReadOnlyList<ProcessRunner> Runs => _runs;

    /// <summary>Starts a server and waits until it answers PING.</summary>
    /// <param name="password">When given, the server asks every connection for it (<c>requirepass</c>).</param>
    /// <exception cref="InvalidOperationException">redis-server is not installed.</exception>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var program = Locate() ?? throw new InvalidOperationException(
            "redis-server is not installed, and the Redis-mode tests need a real one: " +
            "apt-get install -y redis-server (Debian's package; .ci/run and scripts/test.sh must install it).");
        var folder = Directory.CreateTempSubdirectory("oq-redis-").FullName;
        var server = new RedisServer(program, FreePort.Next(), folder, password);
        try
        {
            await server.RestartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server again (after <see cref="StopAsync"/> or a kill) on the same port and data.</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Redis is already running.");
        }

        _process = ProcessRunner.StartProgram($"redis-{_runs.Count + 1}", _program,
            ["--port", $"{Port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", Folder,
                .. _password is null ? Array.Empty<string>() : ["--requirepass", _password]],
            Folder);
        _runs.Add(_process);
        await Wait.UntilAsync(async () => !_process.HasExited && await AnswersPingAsync(), StartTimeout, $"redis-server on port {Port} answers PING");
    }

    /// <summary>A graceful stop (SIGINT): Redis writes its append-only file and exits, as a service restart would.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.Interrupt();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var run in _runs)
        {
            await run.DisposeAsync();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is cleaned by the system.
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            // AUTH in Redis' array form, so that a password of any bytes is sent as it is.
            var password = _password is null ? null : Encoding.UTF8.GetBytes(_password);
            byte[] command = password is null
                ? "PING\r\n"u8.ToArray()
                : [.. Encoding.ASCII.GetBytes($"*2\r\n$4\r\nAUTH\r\n${password.Length}\r\n"), .. password, .. "\r\nPING\r\n"u8];
            await stream.WriteAsync(command, timeout.Token);
            var answer = new StringBuilder();
            var buffer = new byte[64];
            while (!answer.ToString().Contains("+PONG", StringComparison.Ordinal) && !answer.ToString().Contains('-', StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return answer.ToString().Contains("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string? Locate() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
}
