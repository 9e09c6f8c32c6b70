namespace OrleansQueue.Cli.Connection;

/// <summary>Opens the connection to the queue. The console calls it only once the command line parsed
/// and its local checks passed, so usage errors never wait for a silo.</summary>
internal interface IQueueConnector
{
    /// <exception cref="CliException">With <see cref="ExitCodes.SiloUnreachable"/> when the gateway cannot be
    /// reached within <see cref="ConnectionSettings.ConnectTimeout"/>.</exception>
    Task<IJobQueue> ConnectAsync(ConnectionSettings settings, CancellationToken cancellationToken);
}
