using OrleansQueue.Cli.Output;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.CommandLine;

/// <summary>
/// The local checks of a job's values, shared by <c>submit</c>'s options and the lines of a jobs file (<c>--file</c>), so
/// both refuse the same values with the same words. They only give instant feedback on what is never valid; the
/// silo's limits stay authoritative. Each returns the problem, or null when the value is acceptable.
/// </summary>
internal static class JobValueChecks
{
    /// <summary>What no silo accepts as a type: empty, or with anything but printable characters (white space, control
    /// or format characters such as U+202E; see <see cref="DisplayText.IsPrintable"/>). The length limit is the silo's
    /// to set.</summary>
    public static string? Type(string type) =>
        string.IsNullOrWhiteSpace(type) ? "The job type is empty."
        : !DisplayText.IsPrintable(type) ? $"The job type '{DisplayText.Echo(type)}' contains white space or control characters."
        : null;

    public static string? Priority(int priority) =>
        priority is >= 0 and <= 10 ? null : $"Priority {priority} is out of range: it must be from 0 (most important) to 10.";

    public static string? Retries(int retries) =>
        retries >= 0 ? null : $"Retries {retries} is negative: it must be 0 or more.";

    public static string? Deadline(TimeSpan deadline) =>
        deadline > TimeSpan.Zero ? null : $"Deadline {Timestamps.Seconds(deadline)} s must be greater than zero.";

    public static string? Backoff(TimeSpan backoff) =>
        backoff >= TimeSpan.Zero ? null : "The retry backoff cannot be negative.";
}
