using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace OrleansQueue.Hosting;

/// <summary>
/// The command line of the two hosts (silo and worker host), on System.CommandLine as the console's is. Each switch
/// sets one configuration key (<c>--concurrency 8</c> → <c>Worker:Concurrency</c>); any <c>--Section:Key=value</c>
/// (or <c>--Section:Key value</c>) passes through as a configuration key. Formats are checked here, ranges by the
/// host's options validators. <c>--flag=value</c> and <c>--flag value</c> both work; <c>-h</c>/<c>--help</c> prints
/// the help.
/// </summary>
public sealed class HostCommandLine
{
    /// <summary>No <c>@file</c> response files: a token starting with '@' means itself.</summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    private readonly RootCommand _root;
    private readonly List<(Option<string> Option, string Key, Func<string, string> Convert)> _switches = [];
    private readonly List<(Option<string[]> Option, string Key)> _lists = [];
    private readonly List<(Option<bool> Option, string Key)> _flags = [];

    /// <param name="description">What the executable is, the first line of its help.</param>
    /// <param name="passThrough">How the help describes the <c>--Section:Key=value</c> pass-through.</param>
    public HostCommandLine(string description, string passThrough)
    {
        _root = new RootCommand(description + Environment.NewLine + passThrough)
        {
            // Configuration keys are not options of the tree: they are read from the unmatched tokens.
            TreatUnmatchedTokensAsErrors = false,
        };
    }

    /// <summary>A switch whose value is passed on as it is.</summary>
    public HostCommandLine Text(string name, string key, string helpName, string description) =>
        Add(name, key, helpName, description, value => value);

    /// <summary>A switch taking a whole number.</summary>
    public HostCommandLine WholeNumber(string name, string key, string description) =>
        Add(name, key, "N", description, value =>
            int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number.ToString(CultureInfo.InvariantCulture)
                : throw new FormatException($"option '{name}' needs a whole number, got '{value}'"));

    /// <summary>A switch taking seconds (decimals allowed), passed on as a <see cref="TimeSpan"/>.</summary>
    public HostCommandLine Seconds(string name, string key, string description) =>
        Add(name, key, "SECONDS", description, value =>
            // Bounded well past every valid setting so that the conversion cannot overflow; ranges are the validator's.
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && Math.Abs(seconds) <= 1e9
                ? TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture)
                : throw new FormatException($"option '{name}' needs a number of seconds, got '{value}'"));

    /// <summary>A switch that may be given several times (<c>--queue a --queue b</c>); its values set the list
    /// <c>Key:0</c>, <c>Key:1</c>, … in order.</summary>
    public HostCommandLine Repeated(string name, string key, string helpName, string description)
    {
        var option = new Option<string[]>(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.OneOrMore };
        _root.Options.Add(option);
        _lists.Add((option, key));
        return this;
    }

    /// <summary>A switch without a value that sets its key to <c>true</c>.</summary>
    public HostCommandLine Flag(string name, string key, string description)
    {
        var option = new Option<bool>(name) { Description = description };
        _root.Options.Add(option);
        _flags.Add((option, key));
        return this;
    }

    /// <summary>Parses <paramref name="args"/> into configuration settings, or says why the process should end now.</summary>
    public HostArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parse = _root.Parse(EmptyOptionValues.Split(args, _root), Parsing);
        if (parse.Action is HelpAction)
        {
            return new HostArguments(new Dictionary<string, string?>(), Help: true, Error: null);
        }

        if (parse.Errors.Count > 0)
        {
            return Failed(parse.Errors[0].Message);
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (option, key, convert) in _switches)
        {
            if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } value)
            {
                // System.CommandLine would take the next switch as the value of one written without its value.
                if (value.StartsWith("--", StringComparison.Ordinal))
                {
                    return Failed($"option '{option.Name}' needs a value");
                }

                try
                {
                    settings[key] = convert(value);
                }
                catch (FormatException ex)
                {
                    return Failed(ex.Message);
                }
            }
        }

        foreach (var (option, key) in _lists)
        {
            if (parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { } values)
            {
                if (values.FirstOrDefault(v => v.StartsWith("--", StringComparison.Ordinal)) is not null)
                {
                    return Failed($"option '{option.Name}' needs a value");
                }

                for (var i = 0; i < values.Length; i++)
                {
                    settings[$"{key}:{i.ToString(CultureInfo.InvariantCulture)}"] = values[i];
                }
            }
        }

        foreach (var (option, key) in _flags)
        {
            if (parse.GetValue(option))
            {
                settings[key] = "true";
            }
        }

        return PassThrough(parse.UnmatchedTokens, settings) is { } error ? Failed(error) : new HostArguments(settings, Help: false, Error: null);
    }

    /// <summary>Writes the help, or the error line with a hint, and returns the exit code; or returns null when the
    /// process goes on with <see cref="HostArguments.Settings"/>.</summary>
    public int? Report(HostArguments arguments, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (arguments.Help)
        {
            _root.Parse(["--help"], Parsing).Invoke(new InvocationConfiguration { Output = output, Error = error });
            return ExitCodes.Success;
        }

        if (arguments.Error is { } message)
        {
            // One line, as every error of the console and the hosts is.
            error.WriteLine($"error: {message} (--help lists the options)");
            return ExitCodes.Usage;
        }

        return null;
    }

    private HostCommandLine Add(string name, string key, string helpName, string description, Func<string, string> convert)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName };
        _root.Options.Add(option);
        _switches.Add((option, key, convert));
        return this;
    }

    /// <summary>Reads <c>--Section:Key=value</c> and <c>--Section:Key value</c> into <paramref name="settings"/>.</summary>
    private static string? PassThrough(IReadOnlyList<string> tokens, Dictionary<string, string?> settings)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? token : token[..equals];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
            {
                return $"unexpected argument '{token}'";
            }

            if (!name.Contains(':', StringComparison.Ordinal))
            {
                return $"unknown option '{name}'";
            }

            if (equals >= 0)
            {
                settings[name[2..]] = token[(equals + 1)..];
            }
            else if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                settings[name[2..]] = tokens[++i];
            }
            else
            {
                return $"option '{name}' needs a value";
            }
        }

        return null;
    }

    private static HostArguments Failed(string error) => new(new Dictionary<string, string?>(), Help: false, Error: error);
}

/// <summary>What <see cref="HostCommandLine.Parse"/> made of the arguments.</summary>
/// <param name="Settings">Configuration keys and values (<c>Worker:Concurrency</c> → <c>8</c>), to add on top of the
/// other configuration sources.</param>
/// <param name="Help">The help was asked for.</param>
/// <param name="Error">Why the arguments are unusable, or null.</param>
public sealed record HostArguments(IReadOnlyDictionary<string, string?> Settings, bool Help, string? Error);
