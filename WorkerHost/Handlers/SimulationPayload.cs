using System.Text.Json;

namespace OrleansQueue.Worker.Handlers;

/// <summary>
/// What <see cref="SimulationHandler"/> reads from a payload: a JSON object such as
/// <c>{"durationMs":200,"fail":true,"error":"boom","result":"ok","ignoreCancellation":true,"progressEveryMs":500}</c>.
/// Anything else (plain text, a file's bytes, an empty payload) and any field of the wrong kind or out of range
/// takes the default, so a simulated job never fails because of its payload.
/// </summary>
internal sealed record SimulationPayload(
    int DurationMs = SimulationPayload.DefaultDurationMs,
    bool Fail = false,
    string? Error = null,
    string? Result = null,
    bool IgnoreCancellation = false,
    int? ProgressEveryMs = null)
{
    public const int DefaultDurationMs = 1000;

    /// <summary>The shortest interval between two progress reports: at most 4 a second per job, whatever the payload
    /// asks, so a simulated job never floods its job grain.</summary>
    public const int MinProgressEveryMs = 250;

    /// <summary>Reports by default: about ten per run.</summary>
    private const int DefaultProgressSteps = 10;

    public static SimulationPayload Default { get; } = new();

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static SimulationPayload Parse(ReadOnlySpan<byte> payload)
    {
        // Only something that starts like a JSON object is parsed: a large binary payload is not scanned.
        var text = payload.StartsWith(Utf8Bom) ? payload[3..] : payload;
        var start = text.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0 || text[start] != (byte)'{')
        {
            return Default;
        }

        try
        {
            using var document = JsonDocument.Parse(text.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Default;
            }

            return new SimulationPayload(
                DurationMs: root.TryGetProperty("durationMs", out var d) && d.ValueKind == JsonValueKind.Number
                    && d.TryGetInt32(out var ms) && ms >= 0 ? ms : DefaultDurationMs,
                Fail: Bool(root, "fail"),
                Error: Text(root, "error"),
                Result: Text(root, "result"),
                IgnoreCancellation: Bool(root, "ignoreCancellation"),
                ProgressEveryMs: root.TryGetProperty("progressEveryMs", out var p) && p.ValueKind == JsonValueKind.Number
                    && p.TryGetInt32(out var every) && every >= 0 ? every : null);
        }
        catch (JsonException)
        {
            return Default;
        }
    }

    /// <summary>How often to report progress while working, or null for never: <c>progressEveryMs</c> when given
    /// (0 turns reports off; below <see cref="MinProgressEveryMs"/> it is raised to it), else a tenth of the duration
    /// but at least <see cref="MinProgressEveryMs"/>. Null as well when the run is not longer than one interval.</summary>
    public TimeSpan? ProgressInterval
    {
        get
        {
            var every = ProgressEveryMs switch
            {
                0 => 0,
                { } asked => Math.Max(asked, MinProgressEveryMs),
                null => Math.Max(DurationMs / DefaultProgressSteps, MinProgressEveryMs),
            };
            return every > 0 && every < DurationMs ? TimeSpan.FromMilliseconds(every) : null;
        }
    }

    private static bool Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
