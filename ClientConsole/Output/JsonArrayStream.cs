using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OrleansQueue.Cli.Output;

/// <summary>
/// A JSON array (formatted as <see cref="JsonOutput"/> formats) written to <paramref name="output"/> a part at a time:
/// elements are buffered until <see cref="FlushAsync"/>, so an array of millions of elements is never one string.
/// </summary>
internal sealed class JsonArrayStream : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _writer;
    private readonly TextWriter _output;

    public JsonArrayStream(TextWriter output)
    {
        _output = output;
        _writer = new Utf8JsonWriter(_buffer, JsonOutput.Options);
        _writer.WriteStartArray();
    }

    public void Add(Action<Utf8JsonWriter> write) => write(_writer);

    /// <summary>Writes out what has been added so far.</summary>
    public async Task FlushAsync()
    {
        _writer.Flush();
        // The writer flushes whole tokens only, so the bytes never end inside a UTF-8 character.
        await _output.WriteAsync(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        _buffer.ResetWrittenCount();
    }

    /// <summary>Closes the array and writes out the rest.</summary>
    public async Task EndAsync()
    {
        _writer.WriteEndArray();
        await FlushAsync();
        await _output.WriteLineAsync();
    }

    public void Dispose() => _writer.Dispose();
}
