using System.Text;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Batch;

/// <summary>A job of a jobs file and the line it came from (from 1), which messages about it name.</summary>
internal sealed record NumberedJob(int Line, JobSubmission Job);

/// <summary>
/// A jobs file (<c>submit --file</c>): JSON Lines, one job per line (<see cref="JobLine"/>). Blank lines and lines
/// starting with <c>#</c> are skipped. The whole file is read and checked before any job is sent, so a file with a bad
/// line submits nothing; so does a file that is not UTF-8, when its reader is strict (<see cref="OpenStrict"/>), rather
/// than have its bad bytes replaced in the payloads.
/// </summary>
internal static class JobsFile
{
    /// <summary>The name that messages give stdin (<c>--file -</c>).</summary>
    public const string StdinName = "stdin";

    /// <summary>A reader of the file that refuses bytes that are not UTF-8 (a byte-order mark is followed).</summary>
    public static StreamReader OpenStrict(string path) => new(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);

    /// <summary>A reader of <paramref name="stream"/> (the console's redirected stdin, which <c>--file -</c> and an
    /// interactive session read) that refuses bytes that are not UTF-8 (a byte-order mark is followed).</summary>
    public static StreamReader OpenStrict(Stream stream) => new(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true);

    /// <summary>The message for text that is not UTF-8: <paramref name="name"/>, the bad bytes, and the last good line.</summary>
    public static string NotUtf8(string name, DecoderFallbackException ex, int afterLine)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var bytes = ex.BytesUnknown is { Length: > 0 } unknown ? $" (bytes {Convert.ToHexString(unknown)})" : "";
        return $"{name}: it is not UTF-8 text{bytes}{(afterLine > 0 ? $", after line {afterLine}" : "")}";
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every line. Each bad one is added to <paramref name="problems"/> as <c>NAME:LINE: message</c>
    /// (and left out of the result); the caller must not submit anything when there are problems.</summary>
    /// <param name="name">The file as the user named it, or <see cref="StdinName"/>.</param>
    public static async Task<IReadOnlyList<NumberedJob>> ReadAsync(
        TextReader reader, string name, JobSubmission defaults, bool hasDefaultType, ErrorLines problems, CancellationToken cancellationToken)
    {
        var jobs = new List<NumberedJob>();
        var number = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (DecoderFallbackException ex)
            {
                // The reader decodes ahead of the lines it returns: the bad bytes are somewhere after the last line read.
                await problems.AddAsync(NotUtf8(name, ex, number));
                break;
            }

            if (line is null)
            {
                break;
            }

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
