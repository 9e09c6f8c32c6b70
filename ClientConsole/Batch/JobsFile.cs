using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Batch;

/// <summary>A job of a jobs file and the line it came from (from 1), which messages about it name.</summary>
internal sealed record NumberedJob(int Line, JobSubmission Job);

/// <summary>
/// A jobs file (<c>submit --file</c>): JSON Lines, one job per line (<see cref="JobLine"/>). Blank lines and lines
/// starting with <c>#</c> are skipped. The whole file is read and checked before any job is sent, so a file with a bad
/// line submits nothing.
/// </summary>
internal static class JobsFile
{
    /// <summary>The name that messages give stdin (<c>--file -</c>).</summary>
    public const string StdinName = "stdin";

    /// <summary>Reads every line. Each bad one is added to <paramref name="problems"/> as <c>NAME:LINE: message</c>
    /// (and left out of the result); the caller must not submit anything when there are problems.</summary>
    /// <param name="name">The file as the user named it, or <see cref="StdinName"/>.</param>
    public static async Task<IReadOnlyList<NumberedJob>> ReadAsync(
        TextReader reader, string name, JobSubmission defaults, bool hasDefaultType, ErrorLines problems, CancellationToken cancellationToken)
    {
        var jobs = new List<NumberedJob>();
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#')
            {
                continue;
            }

            try
            {
                jobs.Add(new NumberedJob(number, JobLine.Parse(line, defaults, hasDefaultType)));
            }
            catch (FormatException ex)
            {
                await problems.AddAsync($"{name}:{number}: {ex.Message}");
            }
        }

        return jobs;
    }
}
