using System.Diagnostics.CodeAnalysis;
using OrleansQueue.Text;

namespace OrleansQueue.Scheduling;

/// <summary>
/// Named queues: every job lives in one queue for its whole life, and a worker leases from the queues it names.
/// Names follow beanstalkd's tube names, so a tube is a queue: 1 to 200 letters, digits or <c>- + / ; . $ _ ( )</c>,
/// not starting with '-'. A job submitted without one, and a worker naming none, use <see cref="Default"/>.
/// </summary>
public static class QueueNames
{
    public const string Default = "default";

    public const int MaxLength = 200;

    private const string Symbols = "-+/;.$_()";

    /// <summary>The default queue alone: what a worker naming no queue leases from.</summary>
    public static readonly IReadOnlyList<string> DefaultOnly = [Default];

    public static bool IsValid([NotNullWhen(true)] string? name) =>
        name is { Length: > 0 and <= MaxLength } && name[0] != '-' && name.All(IsNameChar);

    /// <summary>The message for a name that is not valid; the name is echoed cut short and escaped.</summary>
    public static string Malformed(string? name) =>
        $"Queue name '{DisplayText.Echo(name)}' is not valid: it must be 1 to {MaxLength} letters, digits or - + / ; . $ _ ( ), not starting with '-'.";

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || Symbols.Contains(c, StringComparison.Ordinal);
}
