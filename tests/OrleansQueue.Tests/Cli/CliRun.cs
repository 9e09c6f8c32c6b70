using OrleansQueue.Cli;
using OrleansQueue.Cli.Batch;
using OrleansQueue.Tests.Cli.Fakes;
using Spectre.Console;

namespace OrleansQueue.Tests.Cli;

/// <summary>The outcome of one run of the console against a fake connector.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <see cref="CliApp"/> with the given arguments, stdin and environment; nothing reaches a silo.</summary>
    /// <param name="time">The console's clock; default: the system's.</param>
    /// <param name="terminal">Makes the terminal that live views draw on, over the run's stdout; default: none, as when
    /// stdout is redirected, so live views print plain lines.</param>
    /// <param name="cancellationToken">Stands in for Ctrl-C.</param>
    public static async Task<CliRun> StartAsync(
        FakeQueueConnector connector,
        string[] args,
        string stdin = "",
        IReadOnlyDictionary<string, string>? environment = null,
        bool showPrompt = false,
        TimeProvider? time = null,
        Func<TextWriter, IAnsiConsole>? terminal = null,
        CancellationToken cancellationToken = default)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var app = new CliApp(connector, name => environment?.GetValueOrDefault(name), showPrompt, terminal?.Invoke(output), time);

        var exitCode = await app.RunAsync(args, input, output, error, cancellationToken);

        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs <see cref="CliApp"/> with <paramref name="stdin"/> as redirected stdin's bytes, read as the console
    /// reads them (<see cref="JobsFile.OpenStrict(Stream)"/>).</summary>
    public static async Task<CliRun> StartAsync(FakeQueueConnector connector, string[] args, byte[] stdin)
    {
        using var input = JobsFile.OpenStrict(new MemoryStream(stdin));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var app = new CliApp(connector, _ => null, showPrompt: false);

        var exitCode = await app.RunAsync(args, input, output, error);

        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A terminal over <paramref name="output"/> that draws as a real one does (ANSI codes, cursor moves), in a
    /// fixed width and without colours, so what it draws can be read back.</summary>
    public static IAnsiConsole Terminal(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(output),
    });

    /// <summary>Asserts a usage error: exit 2, nothing on stdout, and one <c>error:</c> line containing <paramref name="expectedMessage"/>.</summary>
    public void AssertUsageError(string expectedMessage)
    {
        Assert.True(ExitCode == 2, ToString());
        var line = Assert.Single(StderrLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, line, StringComparison.Ordinal);
        Assert.Equal("", Stdout);
    }

    public override string ToString() => $"exit {ExitCode}; stdout: '{Stdout}'; stderr: '{Stderr}'";
}
