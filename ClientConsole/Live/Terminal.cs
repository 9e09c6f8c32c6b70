using Spectre.Console;

namespace OrleansQueue.Cli.Live;

/// <summary>The terminal that live views draw on, if stdout is one.</summary>
internal static class Terminal
{
    /// <summary>A console over <see cref="Console.Out"/> when stdout is a terminal that understands ANSI escape codes;
    /// null when stdout is redirected (a pipe, a file) or the terminal cannot move its cursor (<c>TERM=dumb</c>), so that
    /// live views print plain lines there instead of drawing.</summary>
    public static IAnsiConsole? OfStdout()
    {
        if (Console.IsOutputRedirected || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal))
        {
            return null;
        }

        // Interactive is stated rather than detected: stdout being a terminal is what matters here, not whether stdin
        // is one (the interactive session may read a script from a pipe).
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Interactive = InteractionSupport.Yes,
        });
        return console.Profile.Capabilities.Ansi ? console : null;
    }
}
