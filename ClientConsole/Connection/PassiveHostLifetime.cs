namespace OrleansQueue.Cli.Connection;

/// <summary>
/// Replaces the generic host's console lifetime. The console decides itself when to exit; the default lifetime
/// would swallow Ctrl+C to stop a host nobody waits on, leaving an interactive session unable to be interrupted.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
