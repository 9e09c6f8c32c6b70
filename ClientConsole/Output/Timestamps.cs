using System.Globalization;

namespace OrleansQueue.Cli.Output;

/// <summary>How times and durations are written, in text and JSON alike.</summary>
internal static class Timestamps
{
    /// <summary>ISO-8601 in UTC to the millisecond, e.g. <c>2025-06-01T12:00:00.123Z</c>; job ids carry
    /// milliseconds too, so nothing finer is meaningful to a reader.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Seconds with up to three decimals, e.g. <c>300</c> or <c>1.5</c>.</summary>
    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Seconds rounded to the millisecond, the unit of every <c>...Seconds</c> JSON field.</summary>
    public static double SecondsValue(TimeSpan duration) => Math.Round(duration.TotalSeconds, 3);
}
