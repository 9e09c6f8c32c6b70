using System.Collections.Concurrent;
using System.Text;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>
/// A Redis-mode cluster: a real <see cref="RedisServer"/>, silos started with <c>--storage redis</c> on ports fixed per
/// silo (so a silo started again takes its place), workers and console clients that find the silos through
/// <c>--redis</c>. Each run has its own cluster id and the fast failure detection of the README. Disposing kills every
/// process it started and Redis, whatever the outcome; their output goes to the test's output either way.
/// </summary>
public sealed class RedisQueueCluster : IAsyncDisposable
{
    /// <summary>The membership timings for tests: a killed silo is declared dead within a few seconds.</summary>
    public static readonly string[] FastFailureDetection =
    [
        "--Membership:ProbeTimeout=00:00:01",
        "--Membership:TableRefreshTimeout=00:00:02",
        "--Membership:IAmAliveTablePublishTimeout=00:00:02",
    ];

    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<ProcessRunner> _processes = new();
    private readonly (int SiloPort, int GatewayPort)[] _ports;
    private readonly ProcessRunner?[] _silos;
    private readonly string[] _siloOptions;
    private int _disposed;

    private RedisQueueCluster(ITestOutputHelper output, RedisServer redis, int silos, string[] siloOptions)
    {
        _output = output;
        Redis = redis;
        _siloOptions = siloOptions;
        var ports = FreePort.Next(2 * silos);
        _ports = [.. Enumerable.Range(0, silos).Select(i => (ports[2 * i], ports[2 * i + 1]))];
        _silos = new ProcessRunner?[silos];
    }

    public RedisServer Redis { get; }

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..17];

    /// <summary>How a client of this cluster connects: through Redis, never to a named silo. The connect timeout is
    /// generous because the first connection through Redis of a client on a busy 2-core machine took over 5 s.</summary>
    public string[] Connection => ["--redis", Redis.Address, "--cluster-id", ClusterId, "--connect-timeout", "30"];

    public ProcessRunner Silo(int index) => _silos[index] ?? throw new InvalidOperationException($"silo-{index} was never started.");

    /// <summary>Starts Redis and a cluster of <paramref name="silos"/> silos (none running yet), runs
    /// <paramref name="scenario"/> and tears everything down. A failure is rethrown with every process's output.</summary>
    public static async Task RunAsync(ITestOutputHelper output, int silos, Func<RedisQueueCluster, Task> scenario, params string[] siloOptions)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var redis = await RedisServer.StartAsync();
        var cluster = new RedisQueueCluster(output, redis, silos, siloOptions);
        try
        {
            try
            {
                await scenario(cluster);
            }
            catch (Exception ex)
            {
                throw new EndToEndFailureException($"{ex.GetType().Name}: {ex.Message}\n\n{cluster.Diagnostics(tailLines: 60)}", ex);
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Starts the given silos side by side and waits until each accepts clients.</summary>
    public async Task StartSilosAsync(params int[] indexes)
    {
        foreach (var i in indexes)
        {
            if (_silos[i] is { HasExited: false })
            {
                throw new InvalidOperationException($"silo-{i} is running.");
            }

            var (siloPort, gatewayPort) = _ports[i];
            _silos[i] = Track(ProcessRunner.Start($"silo-{i}", Executables.Silo,
            [
                "--storage", "redis", "--redis", Redis.Address, "--cluster-id", ClusterId,
                "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--dashboard-port", "0", "--beanstalk-port", "0",
                .. FastFailureDetection, .. _siloOptions,
            ]));
        }

        await Task.WhenAll(indexes.Select(i => Silo(i).WaitForLineAsync("Silo ready:", QueueCluster.StartTimeout)));
    }

    /// <summary>SIGKILL: the silo gets no chance to write anything or leave the cluster.</summary>
    public void KillSilo(int index) => Silo(index).Kill();

    /// <summary>Ctrl-C to the given silos at once; waits until they have exited.</summary>
    public async Task StopSilosAsync(params int[] indexes)
    {
        foreach (var i in indexes)
        {
            Silo(i).Interrupt();
        }

        await Task.WhenAll(indexes.Select(i => Silo(i).WaitForExitAsync(TimeSpan.FromSeconds(60))));
    }

    /// <summary>Starts a worker host on <see cref="Connection"/> and waits until it is leasing.</summary>
    public async Task<ProcessRunner> StartWorkerAsync(string name, int concurrency, params string[] options)
    {
        var worker = Track(ProcessRunner.Start(name, Executables.WorkerHost,
            [.. Connection, "--name", name, "--concurrency", $"{concurrency}", .. options]));
        await worker.WaitForLineAsync("ready:", QueueCluster.StartTimeout);
        return worker;
    }

    public Task<CliResult> RunCliAsync(params string[] args) => Cli.RunAsync(Connection, Cli.DefaultTimeout, args);

    /// <summary>Submits <paramref name="count"/> copies of a job in one batch and returns their ids.</summary>
    public async Task<string[]> SubmitManyAsync(int count, string type, string data, params string[] options)
    {
        var result = await RunCliAsync(["submit", type, "--data", data, "--count", $"{count}", .. options]);
        var ids = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (result.ExitCode != 0 || ids.Length != count)
        {
            throw new InvalidOperationException($"submitting {count} jobs did not queue them all: {result.Describe(maxLines: 20)}");
        }

        return ids;
    }

    /// <summary>Starts the console client in interactive mode on <see cref="Connection"/> and waits until it answers.</summary>
    public async Task<InteractiveClient> OpenInteractiveClientAsync() =>
        await InteractiveClient.ConnectAsync(
            Track(ProcessRunner.Start("interactive-client", Executables.ClientConsole, Connection, redirectInput: true)),
            QueueCluster.StartTimeout);

    /// <summary>The output of Redis and every process, the last <paramref name="tailLines"/> lines each.</summary>
    public string Diagnostics(int tailLines = int.MaxValue)
    {
        var text = new StringBuilder();
        foreach (var process in Redis.Runs.Concat(_processes))
        {
            text.AppendLine(process.Describe(tailLines));
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Clients and workers first, so the silos' logs show how they saw them go; Redis last.
        foreach (var process in _processes.Reverse().Concat(Redis.Runs))
        {
            process.Kill();
        }

        try
        {
            _output.WriteLine(Diagnostics(tailLines: 400));
        }
        catch (InvalidOperationException)
        {
            // The test has already finished reporting (xunit refuses late output); nothing to lose but the log.
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }

    private ProcessRunner Track(ProcessRunner process)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            process.Kill();
            throw new ObjectDisposedException(nameof(RedisQueueCluster));
        }

        _processes.Enqueue(process);
        return process;
    }
}
