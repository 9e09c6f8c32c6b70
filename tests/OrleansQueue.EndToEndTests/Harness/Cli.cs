namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>Runs the console client once: <c>dotnet OrleansQueue.ClientConsole.dll --gateway G args</c> (or <c>--redis R</c>).</summary>
public static class Cli
{
    /// <summary>How long a run may take before it is killed: longer than the 30 s the clients of a cluster get to connect
    /// (<see cref="QueueCluster.PatientConnect"/>, <see cref="RedisQueueCluster.Connection"/>), so a slow connection
    /// on a busy machine ends in the client's own words rather than a kill.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs to the end and returns what it did. A run that outlives <paramref name="timeout"/> is killed
    /// and reported as a <see cref="TimeoutException"/> carrying its output.</summary>
    public static Task<CliResult> RunAsync(string gateway, TimeSpan timeout, params string[] args) =>
        RunAsync(["--gateway", gateway], timeout, args);

    /// <summary>As <see cref="RunAsync(string, TimeSpan, string[])"/>, connecting with the given options (e.g. <c>--redis</c>).</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> connection, TimeSpan timeout, params string[] args)
    {
        var all = connection.Concat(args).ToArray();
        await using var process = ProcessRunner.Start("client", Executables.ClientConsole, all);
        try
        {
            var exitCode = await process.WaitForExitAsync(timeout);
            return new CliResult(string.Join(' ', args), exitCode, process.StandardOutputText, process.StandardErrorText);
        }
        catch (TimeoutException ex)
        {
            process.Kill();
            throw new TimeoutException($"{ex.Message}\n{process.Describe()}", ex);
        }
    }
}
