using System.CommandLine;
using System.Text;
using OrleansQueue.Cli.Batch;
using OrleansQueue.Cli.Commands;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Interactive;

/// <summary>
/// Reads commands from stdin, one per line, over one connection opened when the session starts. Each line is
/// parsed by the same command tree as the process's command line; its output goes to stdout, its error to
/// stderr, and the session goes on. It ends at <c>SHUTDOWN</c> or at the end of input. The session takes stdin from the
/// context, so a command (<c>submit --file -</c>) cannot read the session's lines as its own data.
/// </summary>
internal sealed class InteractiveSession(CliCommands commands, CliContext context, bool showPrompt)
{
    /// <summary>Returns 0 when every command succeeded, otherwise the exit code of the last one that failed.</summary>
    public async Task<int> RunAsync(ParseResult startup, CancellationToken cancellationToken)
    {
        var input = context.TakeInput();

        // Connect before the first prompt: a silo that is down is reported at once, not after typing a command.
        await context.QueueAsync(startup, cancellationToken);
        if (showPrompt)
        {
            await context.Output.WriteLineAsync($"Connected to {context.Connection?.Gateway}. Type HELP for the commands, SHUTDOWN to leave.");
        }

        var exitCode = ExitCodes.Success;
        var lines = 0;
        while (true)
        {
            if (showPrompt)
            {
                await context.Output.WriteAsync("> ");
                await context.Output.FlushAsync(cancellationToken);
            }

            string? line;
            try
            {
                line = await input.ReadLineAsync(cancellationToken);
            }
            catch (DecoderFallbackException ex)
            {
                // Nothing more can be read as lines: the session ends, having carried out the lines before.
                await context.Error.WriteLineAsync($"error: {JobsFile.NotUtf8(JobsFile.StdinName, ex, lines)}");
                return ExitCodes.Usage;
            }

            if (line is null)
            {
                return exitCode;
            }

            lines++;

            var (code, shutdown) = await RunLineAsync(line, cancellationToken);
            if (code != ExitCodes.Success)
            {
                exitCode = code;
            }

            if (shutdown)
            {
                return exitCode;
            }
        }
    }

    private async Task<(int ExitCode, bool Shutdown)> RunLineAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            var words = LineTokenizer.Split(line);
            if (words.Count == 0 || words[0].StartsWith('#'))
            {
                return (ExitCodes.Success, false);
            }

            var keyword = InteractiveKeywords.Map(words[0]);
            if (keyword == InteractiveKeywords.Shutdown)
            {
                return (ExitCodes.Success, true);
            }

            if (keyword == InteractiveKeywords.Help && words.Count == 1)
            {
                await context.Output.WriteLineAsync(InteractiveKeywords.Usage);
                return (ExitCodes.Success, false);
            }

            string[] args = keyword == InteractiveKeywords.Help
                ? [CommandName(words[1]), "--help"]
                : [CommandName(words[0]), .. words.Skip(1)];
            var parse = commands.Parse(args);
            CliCommands.ThrowIfInvalid(parse);
            if (context.Globals.Given(parse).FirstOrDefault() is { } global)
            {
                throw CliException.Usage($"{global.Name} applies to the whole session: give it when starting the console");
            }

            return (await commands.InvokeAsync(parse, cancellationToken), false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (ErrorReport.Write(context.Error, ex, context.Connection), false);
        }
    }

    private static string CommandName(string keyword) =>
        InteractiveKeywords.Map(keyword) is { } name and not (InteractiveKeywords.Help or InteractiveKeywords.Shutdown)
            ? name
            : throw CliException.Usage($"unknown command '{DisplayText.Echo(keyword)}'; type HELP for the commands");
}
