namespace OrleansQueue.Cli.Bench;

/// <summary>
/// The CPU this process spends over a benchmark's measured window (user and kernel, all threads), as the peers'
/// programs count their own (<c>process.cpuUsage()</c> around the phase): the start-up, the connection and the JIT
/// compilation before the window are not the workload's.
/// </summary>
internal readonly struct CpuWindow
{
    private readonly TimeSpan _start;

    private CpuWindow(TimeSpan start) => _start = start;

    public static CpuWindow Start() => new(Environment.CpuUsage.TotalTime);

    /// <summary>CPU seconds spent since <see cref="Start"/>.</summary>
    public double Seconds => (Environment.CpuUsage.TotalTime - _start).TotalSeconds;
}
