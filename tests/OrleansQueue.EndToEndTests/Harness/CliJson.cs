using System.Text.Json;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>Reads the console client's <c>--json</c> output.</summary>
public static class CliJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Parse<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new JsonException("the output is the JSON literal null");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The client's JSON does not read as {typeof(T).Name}: {ex.Message}\n{json}", ex);
        }
    }
}
