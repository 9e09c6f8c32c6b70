using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OrleansQueue.Hosting;
using OrleansQueue.Silo.Dashboard;

namespace OrleansQueue.Silo.Hosting;

/// <summary>Starts the built silo, turns start-up failures into one <c>error:</c> line and an exit code, says when it
/// is ready, and waits for Ctrl-C or SIGTERM.</summary>
internal static class SiloStart
{
    public static async Task<int> RunAsync(WebApplication app, SiloHostOptions silo, QuietStart quietStart)
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
                $"error: the silo could not listen on dashboard port {silo.DashboardPort} (127.0.0.1): {ex.Message.TrimEnd('.')}. " +
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
            var redis = RedisClusterHosting.Redacted(silo.Redis!);
            RedisClusterLog.Ready(logger, silo.ListenAddress, silo.SiloPort, silo.GatewayPort, silo.ClusterId, queue.Shards, redis);
        }
        else
        {
            SiloLog.Ready(logger, silo.SiloPort, silo.GatewayPort, silo.ClusterId, queue.Shards,
                silo.Storage == QueueStorageKind.Local ? "this silo's" : "the cluster's");
        }
        if (silo.DashboardEnabled)
        {
            var orleansDashboard = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.OrleansDashboardPath.TrimEnd('/') + "/";
            SiloLog.Dashboard(logger, silo.DashboardPort, orleansDashboard);
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
        ex.Message.Contains($"http://127.0.0.1:{silo.DashboardPort}", StringComparison.Ordinal);
}
