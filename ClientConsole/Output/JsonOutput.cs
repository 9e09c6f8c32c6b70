using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OrleansQueue.Contracts;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Output;

/// <summary>
/// The console's <c>--json</c>: the contracts of <see cref="QueueJsonContext"/> (the dashboard API's too), written
/// indented for people and scripts alike.
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Output goes to a terminal or a pipe, never into HTML: keep non-ASCII text (job errors, results) readable.
        // Control characters are still escaped (\u001B), so a job's text cannot drive the terminal.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A job in full (<see cref="JobDocument"/>).</summary>
    public static string Job(JobView job) => Write(JobDocument.From(job), QueueJsonContext.Default.JobDocument);

    /// <summary>An array of jobs in full: <c>list --json</c>.</summary>
    public static string Jobs(IEnumerable<JobView> jobs) =>
        Write<IReadOnlyList<JobDocument>>(jobs.Select(JobDocument.From).ToList(), QueueJsonContext.Default.IReadOnlyListJobDocument);

    /// <summary><c>metrics --json</c> (<see cref="MetricsDocument"/>).</summary>
    public static string Metrics(QueueMetrics metrics) => Write(MetricsDocument.From(metrics), QueueJsonContext.Default.MetricsDocument);

    /// <summary><c>metrics --queue NAME --json</c> (<see cref="QueueDocument"/>).</summary>
    public static string Queue(QueueFigures figures) => Write(QueueDocument.From(figures), QueueJsonContext.Default.QueueDocument);

    /// <summary>One job of a batch submit (<see cref="SubmitOutcomeDocument"/>), as an element of a <see cref="JsonArrayStream"/>.</summary>
    public static void WriteSubmitOutcome(Utf8JsonWriter writer, int job, int? line, SubmitOutcome outcome) =>
        JsonSerializer.Serialize(writer, SubmitOutcomeDocument.From(job, line, outcome), QueueJsonContext.Default.SubmitOutcomeDocument);

    private static string Write<T>(T value, JsonTypeInfo<T> type)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
