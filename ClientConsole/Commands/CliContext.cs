using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Connection;
using Spectre.Console;

namespace OrleansQueue.Cli.Commands;

/// <summary>
/// What the commands of one run share: where output goes, the clock, and the connection. The connection opens on the
/// first command that needs it (after that command's local checks) and then serves every later command of an
/// interactive session.
/// </summary>
internal sealed class CliContext(
    IQueueConnector connector,
    GlobalOptions globals,
    TextReader input,
    TextWriter output,
    TextWriter error,
    IAnsiConsole? terminal,
    TimeProvider time) : IAsyncDisposable
{
    private IJobQueue? _queue;
    private TextReader? _input = input;

    public GlobalOptions Globals => globals;

    /// <summary>Stdin, which <c>submit --file -</c> reads jobs from; null once an interactive session has taken it
    /// for its command lines (<see cref="TakeInput"/>).</summary>
    public TextReader? Input => _input;

    /// <summary>Command output only: ids, job blocks, JSON.</summary>
    public TextWriter Output => output;

    /// <summary>The one-line <c>error: ...</c> messages.</summary>
    public TextWriter Error => error;

    /// <summary>The terminal behind <see cref="Output"/>, where live views draw; null when output is redirected
    /// (or the terminal cannot draw), and live views print plain lines to <see cref="Output"/> instead.</summary>
    public IAnsiConsole? Terminal => terminal;

    /// <summary>Paces polls and timeouts, and stamps plain lines.</summary>
    public TimeProvider Time => time;

    /// <summary>The settings of the open connection, for messages about it; null before connecting.</summary>
    public ConnectionSettings? Connection { get; private set; }

    /// <summary>Hands stdin to the interactive session for good, so that no command of the session reads the
    /// session's own lines as its data.</summary>
    public TextReader TakeInput()
    {
        var taken = _input ?? throw new InvalidOperationException("stdin has already been taken by the interactive session");
        _input = null;
        return taken;
    }

    public async Task<IJobQueue> QueueAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (_queue is null)
        {
            var settings = globals.Read(parse);
            Connection = settings;
            _queue = await connector.ConnectAsync(settings, cancellationToken);
        }

        return _queue;
    }

    public async ValueTask DisposeAsync()
    {
        if (_queue is not null)
        {
            await _queue.DisposeAsync();
            _queue = null;
        }
    }
}
