using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OrleansQueue.Cli.Bench;

/// <summary>One benchmark run's figures, printed as <c>bench WORKLOAD: key=value ...</c> or, with <c>--json</c>,
/// as one compact JSON object per line (<c>{"workload":..,"count":..,...}</c>) for scripts.</summary>
internal sealed class BenchResult(string workload, int count)
{
    private readonly List<(string Name, object Value)> _fields = [];

    public BenchResult Add(string name, double value, int decimals = 3)
    {
        _fields.Add((name, Math.Round(value, decimals)));
        return this;
    }

    public BenchResult Add(string name, long value)
    {
        _fields.Add((name, value));
        return this;
    }

    public BenchResult Add(string name, bool value)
    {
        _fields.Add((name, value));
        return this;
    }

    public BenchResult Add(string name, string? value)
    {
        _fields.Add((name, value ?? ""));
        return this;
    }

    public string ToText()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"bench {workload}: count={count}");
        foreach (var (name, value) in _fields)
        {
            text.Append(CultureInfo.InvariantCulture, $" {name}={Text(value)}");
        }

        return text.ToString();
    }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("workload", workload);
            writer.WriteNumber("count", count);
            foreach (var (name, value) in _fields)
            {
                switch (value)
                {
                    case double d: writer.WriteNumber(name, d); break;
                    case long l: writer.WriteNumber(name, l); break;
                    case bool b: writer.WriteBoolean(name, b); break;
                    default: writer.WriteString(name, (string)value); break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Text(object value) => value switch
    {
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s when s.Contains(' ', StringComparison.Ordinal) => '"' + s + '"',
        _ => (string)value,
    };
}
