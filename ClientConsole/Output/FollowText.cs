using OrleansQueue.Cli.Live;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Output;

/// <summary>A followed job's step as one plain line, printed when stdout is not a terminal, e.g.
/// <c>2026-03-01T12:00:01.250Z  PROCESSING  attempt 1  40%  working (40%)</c>.</summary>
internal static class FollowText
{
    public static string Line(DateTimeOffset at, FollowState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var line = $"{Timestamps.Format(at)}  {state.Status.ToWireName()}";
        if (state.Attempt > 0)
        {
            // Pending again after an attempt: a retry waiting out its backoff, or an attempt handed back.
            line += state.Status.IsPending() ? $"  after attempt {state.Attempt}" : $"  attempt {state.Attempt}";
        }

        if (state.Percent is { } percent)
        {
            line += $"  {percent}%";
        }

        if (!string.IsNullOrWhiteSpace(state.Message))
        {
            line += "  " + JobText.OneLine(state.Message);
        }

        return line;
    }
}
