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
    TextWriter output,
    TextWriter error,
    IAnsiConsole? terminal,
    TimeProvider time) : IAsyncDisposable
{
    private IJobQueue? _queue;

    public GlobalOptions Globals => globals;

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
