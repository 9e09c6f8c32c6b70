using System.Net.Sockets;

namespace OrleansQueue.EndToEndTests.Harness.Beanstalk;

/// <summary>A real <c>beanstalkd</c> (Debian's package) on a free loopback port, with its default job size limit
/// (65,535 bytes, as the gateway's) and no binlog. Shared by a test class; disposing kills it.</summary>
public sealed class BeanstalkdServer : IBeanstalkServer, IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ProcessRunner? _process;

    public string Name => "beanstalkd";

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        var program = Locate() ?? throw new InvalidOperationException(
            "beanstalkd is not installed, and the protocol tests run against a real one: " +
            "apt-get install -y beanstalkd (Debian's package; scripts/test.sh installs it).");
        Port = FreePort.Next();
        _process = ProcessRunner.StartProgram("beanstalkd", program, ["-l", "127.0.0.1", "-p", $"{Port}", "-z", "65535"], Path.GetTempPath());
        await Wait.UntilAsync(async () => !_process.HasExited && await AcceptsAsync(), StartTimeout, $"beanstalkd on port {Port} accepts connections");
    }

    public string Describe() => _process?.Describe() ?? "beanstalkd did not start";

    /// <summary>SIGUSR1: beanstalkd enters drain mode (a put is answered DRAINING).</summary>
    public void StartDraining()
    {
        if (_process is null || !Signals.Send(_process.Id, Signals.SigUsr1))
        {
            throw new InvalidOperationException("beanstalkd is not running.");
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            await using var wire = await BeanstalkWire.ConnectAsync(Port);
            return await wire.CommandAsync("list-tube-used") == "USING default";
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static string? Locate() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "beanstalkd"))
            .FirstOrDefault(File.Exists);
}
