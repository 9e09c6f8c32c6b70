using System.Globalization;
using OrleansQueue.Contracts;

namespace OrleansQueue.Cli.Output;

/// <summary>How times, durations and rates are written, in text and JSON alike.</summary>
internal static class Timestamps
{
    /// <summary>ISO-8601 in UTC to the millisecond, e.g. <c>2025-06-01T12:00:00.123Z</c>, as in the JSON.</summary>
    public static string Format(DateTimeOffset time) => ContractValues.Timestamp(time);

    /// <summary>Seconds with up to three decimals, e.g. <c>300</c> or <c>1.5</c>.</summary>
    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A latency for reading at a glance, in the unit that suits it with about three significant digits
    /// (the histograms are accurate to 10%, so more would be noise): <c>850 µs</c>, <c>12.5 ms</c>, <c>340 ms</c>,
    /// <c>1.25 s</c>, <c>2.5 min</c>, <c>1.2 h</c>; <c>-</c> when there is none.</summary>
    public static string Latency(TimeSpan? duration) => duration switch
    {
        null => "-",
        { TotalMilliseconds: < 1 } d => Number(d.TotalMicroseconds, "0") + " µs",
        { TotalMilliseconds: < 10 } d => Number(d.TotalMilliseconds, "0.##") + " ms",
        { TotalMilliseconds: < 100 } d => Number(d.TotalMilliseconds, "0.#") + " ms",
        { TotalSeconds: < 1 } d => Number(d.TotalMilliseconds, "0") + " ms",
        { TotalSeconds: < 10 } d => Number(d.TotalSeconds, "0.##") + " s",
        { TotalSeconds: < 100 } d => Number(d.TotalSeconds, "0.#") + " s",
        { TotalHours: < 1 } d => Number(d.TotalMinutes, "0.#") + " min",
        { } d => Number(d.TotalHours, "0.#") + " h",
    };

    /// <summary>A rate of jobs per second, e.g. <c>12.5/s</c> or <c>0.003/s</c> (one job in five minutes).</summary>
    public static string Rate(double perSecond) => Number(perSecond, "0.###") + "/s";

    /// <summary>A share 0..1 as a whole percent, e.g. <c>63%</c>.</summary>
    public static string Percent(double share) => Number(share * 100, "0") + "%";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
