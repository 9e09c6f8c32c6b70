using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Commands;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Cli.Interactive;
using Spectre.Console;

namespace OrleansQueue.Cli;

/// <summary>
/// The console client: parses the command line, connects only once it is valid, runs one command or an
/// interactive session, and turns every failure into one <c>error: ...</c> line on stderr and an exit code
/// (<see cref="ExitCodes"/>).
/// </summary>
/// <param name="connector">Opens the connection; tests pass one that needs no silo.</param>
/// <param name="environment">Reads environment variables (<see cref="GlobalOptions.GatewayVariable"/>); default: the process's.</param>
/// <param name="showPrompt">Whether the interactive session prints a <c>&gt; </c> prompt: only when stdin is a terminal.</param>
/// <param name="terminal">Where live views (<c>--wait</c>, <c>--watch</c>, <c>watch</c>) draw: the terminal behind stdout
/// (<see cref="Live.Terminal.OfStdout"/>), or null when stdout is redirected, and they print plain lines instead.</param>
/// <param name="time">The clock of polls, timeouts and timestamps; default: the system's.</param>
internal sealed class CliApp(
    IQueueConnector connector,
    Func<string, string?>? environment = null,
    bool showPrompt = false,
    IAnsiConsole? terminal = null,
    TimeProvider? time = null)
{
    public async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        CliContext? context = null;
        try
        {
            context = new CliContext(
                connector, new GlobalOptions(environment ?? Environment.GetEnvironmentVariable), input, output, error, terminal, time ?? TimeProvider.System);
            var commands = new CliCommands(context);
            commands.Root.SetAction(new InteractiveSession(commands, context, showPrompt).RunAsync);

            var parse = commands.Parse(args);
            CliCommands.ThrowIfInvalid(parse);
            return await commands.InvokeAsync(parse, cancellationToken);
        }
        catch (Exception ex)
        {
            return ErrorReport.Write(error, ex, context?.Connection);
        }
        finally
        {
            if (context is not null)
            {
                await context.DisposeAsync();
            }
        }
    }
}
