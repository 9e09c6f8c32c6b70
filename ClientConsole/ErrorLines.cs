using OrleansQueue.Text;

namespace OrleansQueue.Cli;

/// <summary>
/// The <c>error: ...</c> lines of a command that finds many problems at once (the bad lines of a jobs file, the jobs a
/// batch submit could not queue): each written as it is found, up to <paramref name="most"/>, then one line saying how
/// many more there were, so ten thousand bad lines do not bury the first ones.
/// </summary>
/// <param name="what">What the problems are, for the last line: "… and 5 more {what}".</param>
internal sealed class ErrorLines(TextWriter error, string what, int most = ErrorLines.MostShown)
{
    public const int MostShown = 20;

    /// <summary>How many problems were added, shown or not.</summary>
    public int Count { get; private set; }

    public async Task AddAsync(string message)
    {
        Count++;
        if (Count <= most)
        {
            await error.WriteLineAsync(Line(message));
        }
    }

    /// <summary>The line of one problem, for one that must never be left out (so not added here).</summary>
    public static string Line(string message) => $"error: {DisplayText.OneLine(message)}";

    /// <summary>Says how many problems were not shown, if any.</summary>
    public Task EndAsync() =>
        Count > most ? error.WriteLineAsync($"error: … and {Count - most} more {what}") : Task.CompletedTask;
}
