using System.Diagnostics.CodeAnalysis;
using OrleansQueue.Text;

namespace OrleansQueue.Jobs;

/// <summary>
/// Job ids are version-7 GUIDs: the first 48 bits are the Unix time in milliseconds, so ids sort by
/// submission time (to the millisecond) both as GUIDs and as strings, and need no coordination to be unique. Jobs put
/// through the beanstalkd gateway have integer ids instead (<see cref="JobNumbers"/>): they are written and read as
/// their number.
/// </summary>
public static class JobId
{
    public static Guid New(TimeProvider? time = null) =>
        Guid.CreateVersion7((time ?? TimeProvider.System).GetUtcNow());

    public static string Format(Guid id) =>
        JobNumbers.TryGetNumber(id, out var number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : id.ToString("D");

    /// <summary>A GUID, or a job number (<c>42</c>).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Guid id) =>
        JobNumbers.TryParse(text, out id) || (Guid.TryParse(text?.Trim(), out id) && id != Guid.Empty);

    /// <summary>The message shown for text that is not a job id; the text is echoed cut short and escaped.</summary>
    public static string Malformed(string? text) =>
        $"'{DisplayText.Echo(text)}' is not a job id: expected a GUID such as {Format(Guid.CreateVersion7())}, or a job number.";
}
