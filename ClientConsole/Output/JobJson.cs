using System.Text.Json;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Output;

/// <summary>
/// A job as JSON (<c>status --json</c>, <c>submit --json</c>, and each element of <c>list --json</c>).
/// Keys: <c>id</c>, <c>type</c>, <c>status</c> (wire name), <c>priority</c>, <c>retries</c>, <c>retriesLeft</c>,
/// <c>deadlineSeconds</c>, <c>retryBackoffSeconds</c>, <c>payloadBytes</c>, <c>submittedAt</c>, <c>startedAt</c>,
/// <c>finishedAt</c>, <c>notBefore</c>, <c>attempts</c> (how many), <c>worker</c> (of the latest attempt),
/// <c>attemptHistory</c> (<c>number</c>, <c>worker</c>, <c>startedAt</c>, <c>endedAt</c>, <c>outcome</c>,
/// <c>error</c>), <c>progress</c> (the handler's latest report: <c>attempt</c>, <c>percent</c>, <c>message</c>, <c>at</c>;
/// null before any), <c>result</c> (UTF-8 text) and <c>error</c>. Absent values are <c>null</c>, never omitted,
/// so a script can rely on every key being there.
/// </summary>
internal static class JobJson
{
    public static string Format(JobView job) => JsonOutput.Write(writer => Write(writer, job));

    public static string FormatList(IEnumerable<JobView> jobs) => JsonOutput.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var job in jobs)
        {
            Write(writer, job);
        }

        writer.WriteEndArray();
    });

    public static void Write(Utf8JsonWriter writer, JobView job)
    {
        writer.WriteStartObject();
        writer.WriteString("id", JobId.Format(job.Id));
        writer.WriteString("type", job.Type);
        writer.WriteString("status", job.Status.ToWireName());
        writer.WriteNumber("priority", job.Priority);
        writer.WriteNumber("retries", job.Retries);
        writer.WriteNumber("retriesLeft", job.RetriesLeft);
        writer.WriteNumber("deadlineSeconds", Timestamps.SecondsValue(job.Deadline));
        writer.WriteNumber("retryBackoffSeconds", Timestamps.SecondsValue(job.RetryBackoff));
        writer.WriteNumber("payloadBytes", job.PayloadBytes);
        writer.WriteTimestamp("submittedAt", job.SubmittedAt);
        writer.WriteTimestamp("startedAt", job.StartedAt);
        writer.WriteTimestamp("finishedAt", job.FinishedAt);
        writer.WriteTimestamp("notBefore", job.NotBefore);
        writer.WriteNumber("attempts", job.Attempts.Count);
        writer.WriteStringOrNull("worker", job.Worker);
        writer.WriteStartArray("attemptHistory");
        foreach (var attempt in job.Attempts)
        {
            writer.WriteStartObject();
            writer.WriteNumber("number", attempt.Number);
            writer.WriteString("worker", attempt.Worker);
            writer.WriteTimestamp("startedAt", attempt.StartedAt);
            writer.WriteTimestamp("endedAt", attempt.EndedAt);
            writer.WriteString("outcome", attempt.Outcome.ToWireName());
            writer.WriteStringOrNull("error", attempt.Error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (job.Progress is { } progress)
        {
            writer.WriteStartObject("progress");
            writer.WriteNumber("attempt", progress.Attempt);
            writer.WriteNumber("percent", progress.Percent);
            writer.WriteStringOrNull("message", progress.Message);
            writer.WriteTimestamp("at", progress.At);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("progress");
        }

        writer.WriteStringOrNull("result", JobText.ResultText(job));
        writer.WriteStringOrNull("error", job.Error);
        writer.WriteEndObject();
    }
}
