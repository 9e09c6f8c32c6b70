namespace OrleansQueue.Cli.Connection;

/// <summary>
/// Hears from the Orleans client when its last gateway connection closes. Calls under way would otherwise wait for
/// Orleans' response timeout (30 s) and then fail with an Orleans-internal message; with this they end at once as
/// "lost the connection" (exit 4). A connection that comes back (a silo restarted in time) starts a new watch.
/// </summary>
internal sealed class ConnectionLoss : IClusterConnectionStatusObserver, IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _lost = new();

    /// <summary>Cancelled when the connection to the cluster is lost.</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_gate)
            {
                return _lost.Token;
            }
        }
    }

    public bool IsLost => Token.IsCancellationRequested;

    public void NotifyClusterConnectionLost()
    {
        CancellationTokenSource lost;
        lock (_gate)
        {
            lost = _lost;
        }

        lost.Cancel();
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (!connectionRecovered)
        {
            return;
        }

        lock (_gate)
        {
            if (_lost.IsCancellationRequested)
            {
                _lost.Dispose();
                _lost = new CancellationTokenSource();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _lost.Dispose();
        }
    }
}
