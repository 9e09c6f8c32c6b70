using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Connection;

namespace OrleansQueue.Cli.Commands;

/// <summary>
/// What the commands of one run share: where output goes, and the connection. The connection opens on the
/// first command that needs it (after that command's local checks) and then serves every later command of an
/// interactive session.
/// </summary>
internal sealed class CliContext(IQueueConnector connector, GlobalOptions globals, TextWriter output, TextWriter error) : IAsyncDisposable
{
    private IJobQueue? _queue;

    public GlobalOptions Globals => globals;

    /// <summary>Command output only: ids, job blocks, JSON.</summary>
    public TextWriter Output => output;

    /// <summary>The one-line <c>error: ...</c> messages.</summary>
    public TextWriter Error => error;

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
