using OrleansQueue.Cli;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>The outcome of one run of the console against a fake connector.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <see cref="CliApp"/> with the given arguments, stdin and environment; nothing reaches a silo.</summary>
    public static async Task<CliRun> StartAsync(
        FakeQueueConnector connector,
        string[] args,
        string stdin = "",
        IReadOnlyDictionary<string, string>? environment = null,
        bool showPrompt = false)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var app = new CliApp(connector, name => environment?.GetValueOrDefault(name), showPrompt);

        var exitCode = await app.RunAsync(args, input, output, error);

        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}; stdout: '{Stdout}'; stderr: '{Stderr}'";
}
