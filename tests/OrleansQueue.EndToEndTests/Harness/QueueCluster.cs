using System.Collections.Concurrent;
using System.Text;
using OrleansQueue.Contracts;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>
/// A silo on free ports, the workers a test starts, and the console client pointed at it. Disposing kills every
/// process it started, whatever the outcome; their output goes to the test's output either way.
/// </summary>
public sealed class QueueCluster : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The connect timeout of the clients the tests act and look through, against a silo known to be ready:
    /// with tests side by side on a busy 2-core machine, the first connection took over the default 5 s. Tests of the
    /// connect timeout itself start their client without it.</summary>
    public static readonly IReadOnlyList<string> PatientConnect = ["--connect-timeout", "30"];

    private const int RecentCliRuns = 30;

    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<ProcessRunner> _processes = new();
    private readonly ConcurrentQueue<CliResult> _cliRuns = new();
    private readonly SemaphoreSlim _sessionOpening = new(1, 1);
    private InteractiveClient? _session;
    private int _disposed;

    private QueueCluster(ITestOutputHelper output, ProcessRunner silo, int siloPort, int gatewayPort)
    {
        _output = output;
        Silo = silo;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        _processes.Enqueue(silo);
    }

    public ProcessRunner Silo { get; }

    /// <summary>The silo-to-silo port: the membership seed a second silo joins through.</summary>
    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    /// <summary>Starts a cluster, runs <paramref name="scenario"/> on it and tears it down. A failure is rethrown
    /// with the output of every process attached, which is what makes a red run debuggable.</summary>
    public static async Task RunAsync(ITestOutputHelper output, Func<QueueCluster, Task> scenario, params string[] siloOptions)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var cluster = await StartAsync(output, siloOptions);
        try
        {
            await cluster.VerifyAsync(() => scenario(cluster));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Runs checks against this cluster; a failure is rethrown with the processes' output attached.</summary>
    public async Task VerifyAsync(Func<Task> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        try
        {
            await checks();
        }
        catch (Exception ex)
        {
            throw new EndToEndFailureException($"{ex.GetType().Name}: {ex.Message}\n\n{Diagnostics(tailLines: 80)}", ex);
        }
    }

    /// <summary>Starts a silo on free ports and waits until it accepts clients.</summary>
    public static async Task<QueueCluster> StartAsync(ITestOutputHelper output, params string[] siloOptions)
    {
        ArgumentNullException.ThrowIfNull(output);
        // A port found free can be taken before the silo binds it; that rare race gets one more try.
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePort.Next(2);
            var args = new[] { "--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}" }.Concat(siloOptions).ToList();
            if (!siloOptions.Any(o => o.StartsWith("--dashboard-port", StringComparison.Ordinal)))
            {
                // Off unless asked for: these tests are about the queue, and its fixed default port (8080) would collide.
                args.AddRange(["--dashboard-port", "0"]);
            }

            if (!siloOptions.Any(o => o.StartsWith("--beanstalk-port", StringComparison.Ordinal)))
            {
                // Likewise the beanstalk gateway's fixed default (11300): the protocol tests give it a free port.
                args.AddRange(["--beanstalk-port", "0"]);
            }

            var silo = ProcessRunner.Start("silo", Executables.Silo, args);
            try
            {
                await silo.WaitForLineAsync("Silo ready:", StartTimeout);
                return new QueueCluster(output, silo, ports[0], ports[1]);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                var log = silo.Describe();
                await silo.DisposeAsync();
                output.WriteLine(log);
                if (attempt >= 2 || !log.Contains("could not listen", StringComparison.OrdinalIgnoreCase))
                {
                    throw new EndToEndFailureException($"The silo did not start: {ex.Message}\n{log}", ex);
                }
            }
        }
    }

    /// <summary>Starts another silo of this cluster (stopped with the cluster) and waits until it is ready.</summary>
    /// <returns>Its gateway, host:port.</returns>
    public async Task<string> StartSecondSiloAsync(params string[] siloOptions)
    {
        var ports = FreePort.Next(2);
        var silo = ProcessRunner.Start("silo-2", Executables.Silo,
            ["--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}", "--primary-silo-port", $"{SiloPort}", "--dashboard-port", "0", "--beanstalk-port", "0", .. siloOptions]);
        _processes.Enqueue(silo);
        await silo.WaitForLineAsync("Silo ready:", StartTimeout);
        return $"127.0.0.1:{ports[1]}";
    }

    /// <summary>Starts a worker host and waits until it is connected and leasing.</summary>
    public async Task<ProcessRunner> StartWorkerAsync(string name, int concurrency = 2, params string[] options)
    {
        var worker = StartWorker(name, concurrency, options);
        await worker.WaitForLineAsync("ready:", StartTimeout);
        return worker;
    }

    /// <summary>Starts a worker host without waiting for it.</summary>
    public ProcessRunner StartWorker(string name, int concurrency = 2, params string[] options)
    {
        var args = new[] { "--gateway", Gateway, "--name", name, "--concurrency", $"{concurrency}" }.Concat(options);
        return Track(ProcessRunner.Start(name, Executables.WorkerHost, args));
    }

    /// <summary>Starts the console client in interactive mode and waits until it answers.</summary>
    public async Task<InteractiveClient> OpenInteractiveClientAsync() =>
        await InteractiveClient.ConnectAsync(StartInteractiveSession(), StartTimeout);

    /// <summary>Starts the console client in interactive mode, its stdin ready for commands.</summary>
    public ProcessRunner StartInteractiveSession() =>
        Track(ProcessRunner.Start("interactive-client", Executables.ClientConsole, ["--gateway", Gateway, .. PatientConnect], redirectInput: true));

    public Task<CliResult> RunCliAsync(params string[] args) => RunCliAsync(Cli.DefaultTimeout, args);

    public async Task<CliResult> RunCliAsync(TimeSpan timeout, params string[] args)
    {
        // A test that sets its own connect timeout (one about giving up) keeps it.
        var connect = args.Contains("--connect-timeout") ? [] : PatientConnect;
        var result = await Cli.RunAsync(["--gateway", Gateway, .. connect], timeout, args);
        _cliRuns.Enqueue(result);
        while (_cliRuns.Count > RecentCliRuns && _cliRuns.TryDequeue(out _))
        {
        }

        return result;
    }

    /// <summary>Runs a command that must succeed; otherwise fails with what the client said.</summary>
    public async Task<string> RunCliOkAsync(params string[] args)
    {
        var result = await RunCliAsync(args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"The client failed: {result}");
        }

        return result.Stdout;
    }

    /// <summary>
    /// The console client in interactive mode, opened at first use and kept for the cluster's life: the helpers below
    /// submit and look through it, so a status check costs milliseconds instead of a process start (1.3 s of CPU, and
    /// several seconds on a busy 2-core machine). It parses and carries out each line as the one-shot console does its
    /// command line; <see cref="RunCliAsync(string[])"/> runs the one-shot console itself.
    /// </summary>
    public async Task<InteractiveClient> SessionAsync()
    {
        await _sessionOpening.WaitAsync();
        try
        {
            return _session ??= await OpenInteractiveClientAsync();
        }
        finally
        {
            _sessionOpening.Release();
        }
    }

    /// <summary>Submits through the console and returns the job id.</summary>
    public async Task<string> SubmitAsync(string type, string data, params string[] options) =>
        await (await SessionAsync()).SubmitAsync(type, data, options);

    public async Task<JobDocument> GetJobAsync(string id) => await (await SessionAsync()).GetJobAsync(id);

    public async Task<MetricsDocument> GetMetricsAsync() => await (await SessionAsync()).GetMetricsAsync();

    /// <summary>Every job the silo still remembers in <paramref name="status"/> (e.g. <c>completed</c>), in one call.</summary>
    public async Task<IReadOnlyList<JobDocument>> ListAsync(string status, int limit = 1000) =>
        CliJson.Jobs(await (await SessionAsync()).JsonAsync($"list --status {status} --limit {limit} --json"));

    /// <summary>Waits for the job to satisfy <paramref name="done"/> and returns it.</summary>
    public async Task<JobDocument> WaitForJobAsync(string id, Func<JobDocument, bool> done, TimeSpan timeout, string what) =>
        await (await SessionAsync()).WaitForJobAsync(id, done, timeout, what);

    /// <summary>The output of every process, the last <paramref name="tailLines"/> lines each, and the recent client runs.</summary>
    public string Diagnostics(int tailLines = int.MaxValue)
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
        {
            text.AppendLine(process.Describe(tailLines));
        }

        var runs = _cliRuns.ToArray();
        if (runs.Length > 0)
        {
            text.AppendLine($"===== the last {runs.Length} client runs");
            foreach (var run in runs)
            {
                text.AppendLine(run.Describe(maxLines: 12));
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Workers and clients first, so the silo's log shows how it saw them go.
        foreach (var process in _processes.Reverse())
        {
            process.Kill();
        }

        var all = _processes.ToArray();
        await Task.WhenAll(all.Select(async p =>
        {
            try
            {
                await p.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // Disposal below kills once more; what still survives stays registered and dies with the test host.
            }
        }));

        try
        {
            _output.WriteLine(Diagnostics(tailLines: 3000));
        }
        catch (InvalidOperationException)
        {
            // The test has already finished reporting (xunit refuses late output); nothing to lose but the log.
        }

        foreach (var process in all)
        {
            await process.DisposeAsync();
        }
    }

    private ProcessRunner Track(ProcessRunner process)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            process.Kill();
            throw new ObjectDisposedException(nameof(QueueCluster));
        }

        _processes.Enqueue(process);
        return process;
    }
}
