using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OrleansQueue.Contracts;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>Reads the console client's <c>--json</c> output into the contract records, through the same
/// <see cref="QueueJsonContext"/> that writes it. Their required members are the contract the tests rely on: a missing
/// key fails the parse instead of reading as a default.</summary>
public static class CliJson
{
    public static JobDocument Job(string json) => Parse(json, QueueJsonContext.Default.JobDocument);

    public static IReadOnlyList<JobDocument> Jobs(string json) => Parse(json, QueueJsonContext.Default.IReadOnlyListJobDocument);

    public static MetricsDocument Metrics(string json) => Parse(json, QueueJsonContext.Default.MetricsDocument);

    public static QueueDocument Queue(string json) => Parse(json, QueueJsonContext.Default.QueueDocument);

    private static T Parse<T>(string json, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new JsonException("the output is the JSON literal null");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The client's JSON does not read as {typeof(T).Name}: {ex.Message}\n{json}", ex);
        }
    }
}
