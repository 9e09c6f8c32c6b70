using System.Text;
using System.Text.Json;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Batch;

/// <summary>
/// One line of a jobs file: a JSON object such as
/// <c>{"type":"TRANSCODE_VIDEO","data":"text","priority":3,"retries":2,"deadline":30,"backoff":1}</c>, with
/// <c>"payload":"&lt;base64&gt;"</c> instead of <c>"data"</c> for bytes. A field the line omits takes the command line's
/// value. Values get the same local checks as <c>submit</c>'s options (<see cref="JobValueChecks"/>), and an unknown or
/// repeated field is an error, so a misspelt field is reported rather than silently dropped.
/// </summary>
internal static class JobLine
{
    public const string Fields = "type, data, payload, priority, retries, deadline, backoff";

    /// <param name="defaults">The command line's values; its type is used only when <paramref name="hasDefaultType"/>.</param>
    /// <exception cref="FormatException">The line is not a valid job; the message says why, without the line number.</exception>
    public static JobSubmission Parse(string line, JobSubmission defaults, bool hasDefaultType)
    {
        using var document = ParseJson(line);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"expected a JSON object such as {{\"type\": \"T\"}}, not {document.RootElement.GetRawText()}");
        }

        var job = defaults;
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in document.RootElement.EnumerateObject())
        {
            if (!given.Add(field.Name))
            {
                throw new FormatException($"\"{field.Name}\" is given twice");
            }

            job = field.Name switch
            {
                "type" => job with { Type = Text(field) },
                "data" => job with { Payload = Encoding.UTF8.GetBytes(Text(field)) },
                "payload" => job with { Payload = Base64(field) },
                "priority" => job with { Priority = Checked(WholeNumber(field), JobValueChecks.Priority) },
                "retries" => job with { Retries = Checked(WholeNumber(field), JobValueChecks.Retries) },
                "deadline" => job with { Deadline = Checked(Seconds(field), JobValueChecks.Deadline) },
                "backoff" => job with { RetryBackoff = Checked(Seconds(field), JobValueChecks.Backoff) },
                _ => throw new FormatException($"unknown field \"{field.Name}\"; the fields are {Fields}"),
            };
        }

        if (given.Contains("data") && given.Contains("payload"))
        {
            throw new FormatException("\"data\" and \"payload\" cannot be used together: give one of them");
        }

        if (!given.Contains("type") && !hasDefaultType)
        {
            throw new FormatException("no \"type\": give it on each line, or TYPE on the command line for lines without one");
        }

        if (JobValueChecks.Type(job.Type) is { } problem)
        {
            throw new FormatException(problem);
        }

        return job;
    }

    private static JsonDocument ParseJson(string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            // The parser's own position ("LineNumber: 0 | BytePositionInLine: 7") counts from 0 within this one line.
            var reason = ex.Message.Split(" LineNumber:", 2)[0];
            throw new FormatException($"not valid JSON at column {ex.BytePositionInLine + 1}: {reason}", ex);
        }
    }

    private static string Text(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.String
            ? field.Value.GetString()!
            : throw new FormatException($"\"{field.Name}\": {field.Value.GetRawText()} is not a string");

    private static byte[] Base64(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.String && field.Value.TryGetBytesFromBase64(out var bytes)
            ? bytes
            : throw new FormatException($"\"{field.Name}\": {field.Value.GetRawText()} is not base64 text (for plain text use \"data\")");

    private static int WholeNumber(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var value)
            ? value
            : throw new FormatException($"\"{field.Name}\": {field.Value.GetRawText()} is not a whole number");

    private static TimeSpan Seconds(JsonProperty field)
    {
        if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            throw new FormatException($"\"{field.Name}\": {field.Value.GetRawText()} is not a number of seconds");
        }

        return Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"\"{field.Name}\": {field.Value.GetRawText()} s is too long");
    }

    private static T Checked<T>(T value, Func<T, string?> check) =>
        check(value) is { } problem ? throw new FormatException(problem) : value;
}
