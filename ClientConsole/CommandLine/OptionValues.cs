using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.CommandLine;

/// <summary>
/// Options and arguments whose values are parsed and range-checked while the command line is parsed, so a bad
/// value is a usage error (exit 2) with a plain message, reported before any connection is attempted.
/// An omitted number stays null: the silo applies its configured default.
/// </summary>
internal static class OptionValues
{
    /// <param name="check">Returns a problem with the value, or null when it is acceptable.</param>
    public static Option<int?> WholeNumber(string name, string description, Func<int, string?> check) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{name}: '{DisplayText.Echo(text)}' is not a whole number");
                return null;
            }

            return Checked(result, value, check);
        },
    };

    /// <summary>Seconds, decimals allowed (<c>1.5</c>), as a <see cref="TimeSpan"/>.</summary>
    public static Option<TimeSpan?> Seconds(string name, string description, Func<TimeSpan, string?> check) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
            {
                result.AddError($"{name}: '{DisplayText.Echo(text)}' is not a number of seconds");
                return null;
            }

            if (Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds)
            {
                result.AddError($"{name}: {text} s is too long");
                return null;
            }

            return Checked(result, TimeSpan.FromSeconds(seconds), check);
        },
    };

    /// <summary>A whole-number argument from <paramref name="min"/> to <paramref name="max"/>, named in its error.</summary>
    public static Argument<long> WholeNumberArgument(string name, string description, long min, long max) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                result.AddError($"{name} must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{DisplayText.Echo(text)}'");
                return 0;
            }

            return value;
        },
    };

    public static Argument<Guid> JobIdArgument() => new("ID")
    {
        Description = "The job's id, as submit printed it.",
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (JobId.TryParse(text, out var id))
            {
                return id;
            }

            result.AddError(JobId.Malformed(text));
            return Guid.Empty;
        },
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text." };

    /// <summary><c>--queue NAME</c>: a named queue (<see cref="QueueNames"/>); a malformed name is a usage error.</summary>
    public static Option<string> Queue(string description) => new("--queue")
    {
        Description = description,
        HelpName = "NAME",
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (QueueNames.IsValid(text))
            {
                return text;
            }

            result.AddError(QueueNames.Malformed(text));
            return null;
        },
    };

    /// <summary><c>--wait-timeout SECONDS</c>, valid only with <paramref name="follow"/> (checked by <see cref="RequireWith"/>).</summary>
    public static Option<TimeSpan?> WaitTimeout(Option<bool> follow) => Seconds(
        "--wait-timeout",
        $"With {follow.Name}: stop waiting after this many seconds (exit 6); the job goes on. Default: until the job finishes.",
        t => t > TimeSpan.Zero ? null : "--wait-timeout must be greater than zero");

    /// <summary>Makes <paramref name="dependent"/> a usage error unless <paramref name="required"/> is given too.</summary>
    public static void RequireWith(Command command, Option dependent, Option<bool> required) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(dependent) is { Implicit: false } && !result.GetValue(required))
            {
                result.AddError($"{dependent.Name} needs {required.Name}");
            }
        });

    private static T? Checked<T>(ArgumentResult result, T value, Func<T, string?> check)
        where T : struct
    {
        if (check(value) is { } problem)
        {
            result.AddError(problem);
            return null;
        }

        return value;
    }
}
