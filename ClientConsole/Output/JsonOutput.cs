using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansQueue.Cli.Output;

/// <summary>Indented JSON for people and scripts alike; helpers for the nullable fields the views are full of.</summary>
internal static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Output goes to a terminal or a pipe, never into HTML: keep non-ASCII text (job errors, results) readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteStringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteTimestamp(this Utf8JsonWriter writer, string name, DateTimeOffset? value) =>
        writer.WriteStringOrNull(name, value is { } time ? Timestamps.Format(time) : null);
}
