namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>How the API writes times and durations, the same way as the console client's <c>--json</c>.</summary>
internal static class ApiValues
{
    /// <summary>UTC, so every timestamp in a response reads the same way whatever the silo's time zone.</summary>
    public static DateTimeOffset Time(DateTimeOffset time) => time.ToUniversalTime();

    public static DateTimeOffset? Time(DateTimeOffset? time) => time?.ToUniversalTime();

    /// <summary>Seconds rounded to the millisecond, the unit of every <c>...Seconds</c> field.</summary>
    public static double Seconds(TimeSpan duration) => Math.Round(duration.TotalSeconds, 3);

    /// <summary>Milliseconds rounded to the microsecond, the unit of every <c>...Ms</c> field.</summary>
    public static double? Milliseconds(TimeSpan? duration) => duration is { } d ? Math.Round(d.TotalMilliseconds, 3) : null;
}
