namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>What one run of the console client did.</summary>
public sealed record CliResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => Describe(int.MaxValue);

    /// <summary>The command, its exit code and its output, each stream cut to <paramref name="maxLines"/> lines.</summary>
    public string Describe(int maxLines) =>
        $"`{Command}` exited {ExitCode}\n--- stdout ---\n{Cut(Stdout, maxLines)}--- stderr ---\n{Cut(Stderr, maxLines)}";

    private static string Cut(string text, int maxLines)
    {
        var lines = text.Split('\n');
        return lines.Length <= maxLines ? text : string.Join('\n', lines.Take(maxLines)) + $"\n... {lines.Length - maxLines} more lines\n";
    }
}
