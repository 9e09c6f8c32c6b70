using System.Globalization;

namespace OrleansQueue.Contracts;

/// <summary>How the contracts write times and durations: one rule for the console's <c>--json</c>, its text and the
/// dashboard API alike.</summary>
public static class ContractValues
{
    /// <summary>ISO-8601 in UTC to the millisecond, e.g. <c>2025-06-01T12:00:00.123Z</c>: job ids carry milliseconds
    /// too, so nothing finer is meaningful to a reader, and UTC reads the same whatever the silo's time zone.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Seconds rounded to the millisecond, the unit of every <c>...Seconds</c> field.</summary>
    public static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 3);

    /// <summary>Milliseconds rounded to the microsecond, the unit of every <c>...Ms</c> field; null stays null.</summary>
    public static double? Milliseconds(TimeSpan? duration) => duration is { } d ? Math.Round(d.TotalMilliseconds, 3) : null;

    /// <summary>A rate or a share rounded to three decimals (jobs per second, utilization 0..1).</summary>
    public static double Ratio(double value) => Math.Round(value, 3);
}
