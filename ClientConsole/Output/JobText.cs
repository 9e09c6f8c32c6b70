using System.Globalization;
using OrleansQueue.Contracts;
using OrleansQueue.Jobs;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Output;

/// <summary>A job as <c>status</c> shows it: one labelled line per field, then one line per attempt.</summary>
internal static class JobText
{
    private const int LabelWidth = 12;
    private const string None = "-";

    public static void Write(TextWriter writer, JobView job)
    {
        Line(writer, "id", JobId.Format(job.Id));
        Line(writer, "type", job.Type);
        Line(writer, "queue", job.Queue);
        Line(writer, "status", job.Status.ToWireName());
        Line(writer, "progress", job.Progress is { } progress ? ProgressText(progress) : None);
        Line(writer, "priority", job.Priority.ToString(CultureInfo.InvariantCulture));
        Line(writer, "retries", $"{job.RetriesLeft} left of {job.Retries}");
        Line(writer, "deadline", $"{Timestamps.Seconds(job.Deadline)} s per attempt");
        Line(writer, "backoff", $"{Timestamps.Seconds(job.RetryBackoff)} s base");
        Line(writer, "payload", $"{job.PayloadBytes} bytes");
        Line(writer, "submitted", Time(job.SubmittedAt));
        Line(writer, "started", Time(job.StartedAt));
        Line(writer, "finished", Time(job.FinishedAt));
        if (job.NotBefore is { } notBefore)
        {
            // Before any attempt it is a delayed submit (submit --delay); after one, a retry's backoff.
            Line(writer, job.Attempts.Count == 0 ? "due" : "retry after", Time(notBefore));
        }

        Line(writer, "worker", job.Worker ?? None);
        Line(writer, "attempts", job.Attempts.Count.ToString(CultureInfo.InvariantCulture));
        var attempts = new TextTable();
        foreach (var attempt in job.Attempts)
        {
            attempts.Add(
                $"#{attempt.Number}",
                attempt.Worker,
                Time(attempt.StartedAt),
                attempt.EndedAt is { } ended ? "-> " + Time(ended) : "-> (running)",
                attempt.Outcome.ToWireName(),
                OneLine(attempt.Error ?? ""));
        }

        attempts.WriteTo(writer, "  ");
        Line(writer, "result", ResultText(job) ?? None);
        Line(writer, "error", job.Error ?? None);
    }

    /// <summary>A progress report on one line, e.g. <c>40%  working (40%)  (attempt 1, 2026-03-01T12:00:04.000Z)</c>.</summary>
    public static string ProgressText(JobProgress progress) =>
        string.IsNullOrWhiteSpace(progress.Message)
            ? $"{progress.Percent}%  (attempt {progress.Attempt}, {Timestamps.Format(progress.At)})"
            : $"{progress.Percent}%  {OneLine(progress.Message)}  (attempt {progress.Attempt}, {Timestamps.Format(progress.At)})";

    /// <summary>The result as UTF-8 text (handlers report text or JSON); invalid bytes show as U+FFFD.</summary>
    public static string? ResultText(JobView job) => JobDocument.ResultText(job);

    /// <summary>Keeps a job's error on one line, e.g. in a list, its control characters escaped.</summary>
    public static string OneLine(string text) => DisplayText.OneLine(text);

    private static string Time(DateTimeOffset? time) => time is { } t ? Timestamps.Format(t) : None;

    private static void Line(TextWriter writer, string label, string value)
    {
        // Continuation lines of a multi-line value (a result, a stack-like error) stay under the value column; any other
        // control character is shown escaped, so a job's text cannot drive the terminal.
        var indented = DisplayText.Escape(value.ReplaceLineEndings("\n").Replace('\t', ' '))
            .Replace("\n", Environment.NewLine + new string(' ', LabelWidth + 2), StringComparison.Ordinal);
        writer.WriteLine($"{(label + ":").PadRight(LabelWidth)}  {indented}");
    }
}
