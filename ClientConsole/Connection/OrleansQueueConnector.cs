using OrleansQueue.Client;

namespace OrleansQueue.Cli.Connection;

/// <summary>Connects through an Orleans client in a minimal generic host without logging, so stdout
/// carries only command output and stderr only the console's own one-line errors.</summary>
internal sealed class OrleansQueueConnector : IQueueConnector
{
    /// <summary>On top of the connect timeout: the retry filter gives up only after an attempt fails, and an
    /// attempt against an address that drops packets can hang; this bounds the whole wait.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    public async Task<IJobQueue> ConnectAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.Services.AddSingleton<ConnectionLoss>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ConnectionLoss>());
        builder.UseOrleansClient(client =>
            client.UseOrleansQueueCluster(settings.Cluster, settings.ConnectTimeout, settings.ClusterId, settings.ServiceId, tls: settings.Tls));
        var host = builder.Build();

        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(settings.ConnectTimeout + Grace);
        try
        {
            await host.StartAsync(giveUp.Token).WaitAsync(giveUp.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A gateway that answered but refused this client (cluster id, TLS) says so with its own exit code; a Redis
            // that cannot be reached or refused the client (password) with the cluster unreachable's, and Redis' reason.
            var refusal = await host.Services.GetRequiredService<ConnectDiagnosis>().ExplainAsync(ex);
            // Disposing a client that never connected can itself wait on the gateway; do not let it delay the error.
            _ = Task.Run(host.Dispose, CancellationToken.None);
            throw refusal is null
                ? new CliException(ExitCodes.SiloUnreachable, settings.Unreachable, ex)
                : new CliException(refusal.ExitCode, refusal.Message, ex);
        }

        return new OrleansQueueConnection(
            host, new JobQueueClient(host.Services.GetRequiredService<IClusterClient>()), host.Services.GetRequiredService<ConnectionLoss>(), settings);
    }
}
