namespace OrleansQueue.Cli.Live;

/// <summary>
/// Catches Ctrl-C while a live view runs, so the view can end cleanly (restore the cursor, print how it ended) instead
/// of the process being killed mid-drawing. Outside such a scope Ctrl-C keeps its default meaning: end the process.
/// </summary>
internal sealed class CtrlC : IDisposable
{
    private readonly CancellationTokenSource _stop;

    private CtrlC(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>Cancelled by Ctrl-C or by the token the scope was opened with.</summary>
    public CancellationToken Token => _stop.Token;

    /// <param name="outer">Also ends the view, e.g. the caller's own cancellation (tests stand in for Ctrl-C with it).</param>
    public static CtrlC Catch(CancellationToken outer) => new(outer);

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _stop.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The view ended at the same moment.
        }
    }
}
