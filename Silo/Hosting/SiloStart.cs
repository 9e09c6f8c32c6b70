using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Security;
using OrleansQueue.Silo.Dashboard;

namespace OrleansQueue.Silo.Hosting;

/// <summary>Starts the built silo, turns start-up failures into one <c>error:</c> line and an exit code, says when it
/// is ready, and waits for Ctrl-C or SIGTERM.</summary>
internal static class SiloStart
{
    public static async Task<int> RunAsync(WebApplication app, SiloHostOptions silo, TlsCredentials? tls, QuietStart quietStart)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansQueue.Silo");
        try
        {
            app.MapQueueDashboard(silo);
            // Validates every option once (ValidateOnStart), then checks the ports (PortCheck), then starts Orleans.
            await app.StartAsync();
        }
        catch (Exception ex) when (InvalidConfiguration.Describe(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"error: {message}");
            return ExitCodes.Usage;
        }
        catch (RedisUnreachableException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
        catch (PortTakenException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.CannotListen;
        }
        catch (IOException ex) when (silo.DashboardEnabled && IsDashboardBind(ex, silo))
        {
            await Console.Error.WriteLineAsync(
                $"error: the silo could not listen on dashboard port {silo.DashboardPort} ({silo.DashboardBind}): {ex.Message.TrimEnd('.')}. " +
                "Choose another with --dashboard-port N, or turn the web side off with --dashboard-port 0.");
            return ExitCodes.CannotListen;
        }
        catch (Exception ex) when (ex is SocketException or IOException || ex.InnerException is SocketException)
        {
            await Console.Error.WriteLineAsync($"error: the silo could not listen on silo port {silo.SiloPort} / gateway port {silo.GatewayPort}: {ex.Message}");
            return ExitCodes.CannotListen;
        }

        quietStart.Started();
        var queue = app.Services.GetRequiredService<IOptions<QueueOptions>>().Value;
        if (silo.Storage == QueueStorageKind.Redis)
        {
            var redis = RedisConnection.Redacted(silo.Redis!);
            RedisClusterLog.Ready(logger, silo.ListenAddress, silo.SiloPort, silo.GatewayPort, silo.ClusterId, queue.Shards, redis);
        }
        else
        {
            SiloLog.Ready(logger, silo.SiloPort, silo.GatewayPort, silo.ClusterId, queue.Shards,
                silo.Storage == QueueStorageKind.Local ? "this silo's" : "the cluster's");
        }
        if (tls?.Certificate is { } certificate)
        {
            var fingerprint = TlsCredentials.Fingerprint(certificate);
            SiloLog.Tls(logger, certificate.Subject, fingerprint,
                tls.MutualTls ? "every client and silo must present a trusted certificate (--mutual-tls)" : "client certificates optional");
        }

        if (silo.DashboardEnabled)
        {
            var orleansDashboard = silo.OrleansDashboard
                ? $", Orleans dashboard {app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.OrleansDashboardPath.TrimEnd('/')}/"
                : "";
            var url = app.Services.GetRequiredService<DashboardHosts>().Preferred;
            SiloLog.Dashboard(logger, url, orleansDashboard,
                app.Services.GetRequiredService<ApiKeyCheck>().Required ? "API key required" : "no API key, loopback only");
        }
        else
        {
            SiloLog.DashboardOff(logger);
        }

        await app.WaitForShutdownAsync();
        return ExitCodes.Success;
    }

    /// <summary>Kestrel reports a taken port as "Failed to bind to address http://127.0.0.1:N: address already in use."
    /// Orleans' own listeners never speak of http, so the address tells the two apart.</summary>
    private static bool IsDashboardBind(IOException ex, SiloHostOptions silo) =>
        ex.Message.Contains("Failed to bind to address http", StringComparison.Ordinal)
        && ex.Message.Contains($":{silo.DashboardPort}", StringComparison.Ordinal);
}
