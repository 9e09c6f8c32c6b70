using System.CommandLine;

namespace OrleansQueue.Hosting;

/// <summary>
/// System.CommandLine reads an option written with an empty value (<c>--data=</c>, <c>--data:</c>) as the option
/// alone, and then takes the next token as its value: <c>submit T --data= --json</c> stored a job whose payload was
/// <c>--json</c>, and printed no JSON. Every command line of the console and the hosts reaches the parser with such a
/// token split into the option and an empty value, which the option then takes or refuses as it does
/// <c>--data ""</c>. Only the options of the tree are split (a host's <c>--Section:Key=</c> pass-through is not one),
/// and nothing after <c>--</c>.
/// </summary>
public static class EmptyOptionValues
{
    public static IReadOnlyList<string> Split(IReadOnlyList<string> tokens, Command root)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(root);
        var names = new HashSet<string>(StringComparer.Ordinal);
        AddNames(root, names);
        var split = new List<string>(tokens.Count + 1);
        var options = true;
        foreach (var token in tokens)
        {
            if (options && token.Length > 1 && token[^1] is '=' or ':' && names.Contains(token[..^1]))
            {
                split.Add(token[..^1]);
                split.Add("");
                continue;
            }

            options &= token != "--";
            split.Add(token);
        }

        return split;
    }

    private static void AddNames(Command command, HashSet<string> names)
    {
        foreach (var option in command.Options)
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }

        foreach (var subcommand in command.Subcommands)
        {
            AddNames(subcommand, names);
        }
    }
}
