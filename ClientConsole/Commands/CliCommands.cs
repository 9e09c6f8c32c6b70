using System.CommandLine;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Commands;

/// <summary>
/// The command tree, shared by the process's command line and the lines of an interactive session, so both
/// accept exactly the same commands, options and values.
/// </summary>
internal sealed class CliCommands
{
    /// <summary>An echo's length (<see cref="DisplayText.EchoLength"/>) plus room for the library's words around it.</summary>
    private const int MaxParseErrorLength = DisplayText.EchoLength + 80;

    /// <summary>No <c>@file</c> response files: a token starting with '@' (a job type, inline data) means itself.</summary>
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    private readonly CliContext _context;

    /// <summary>Builds the tree. The root's own action, run when no command is given, is left to the caller:
    /// it is the interactive session, which itself parses lines with this tree.</summary>
    public CliCommands(CliContext context)
    {
        _context = context;
        Root = new RootCommand(
            "OrleansQueue console client: submit jobs, inspect and manage them, and read the queue's metrics. " +
            "Without a command it reads commands from stdin, one per line (SUBMIT, JOB_STATUS, METRICS_GET, CANCEL, " +
            "REQUEUE, LIST, WATCH, HELP, SHUTDOWN).");
        foreach (var option in context.Globals.All)
        {
            Root.Options.Add(option);
        }

        Root.Subcommands.Add(SubmitCommand.Create(context));
        Root.Subcommands.Add(StatusCommand.Create(context));
        Root.Subcommands.Add(MetricsCommand.Create(context));
        Root.Subcommands.Add(JobCommand.Cancel(context));
        Root.Subcommands.Add(JobCommand.Requeue(context));
        Root.Subcommands.Add(JobCommand.Kick(context));
        Root.Subcommands.Add(JobCommand.Pause(context));
        Root.Subcommands.Add(ListCommand.Create(context));
        Root.Subcommands.Add(WatchCommand.Create(context));
        Root.Subcommands.Add(Bench.BenchCommand.Create(context));
    }

    public RootCommand Root { get; }

    public ParseResult Parse(IReadOnlyList<string> tokens) => Root.Parse(EmptyOptionValues.Split(tokens, Root), Parsing);

    /// <summary>Runs the parsed command and returns its exit code. Parse errors must have been handled first
    /// (<see cref="ThrowIfInvalid"/>); exceptions propagate to the caller, which turns them into one error line.</summary>
    public Task<int> InvokeAsync(ParseResult parse, CancellationToken cancellationToken) =>
        parse.InvokeAsync(new InvocationConfiguration
        {
            Output = _context.Output,
            Error = _context.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C keeps its default meaning (end the process) rather than being turned into a token per command.
            ProcessTerminationTimeout = null,
        }, cancellationToken);

    /// <summary>All parse errors as one usage error, unless the command line asked for help (which ignores them).</summary>
    /// <exception cref="CliException">A usage error.</exception>
    public static void ThrowIfInvalid(ParseResult parse)
    {
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            // System.CommandLine's own messages repeat the offending token whole ("Unrecognized command or argument
            // '...'"): each is cut like an echo, so a megabyte-long word is not printed back.
            throw CliException.Usage(string.Join(" ", parse.Errors.Select(e => DisplayText.Shorten(e.Message, MaxParseErrorLength)).Distinct()));
        }
    }
}
