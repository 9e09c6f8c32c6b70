using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansQueue.Silo.Hosting;

/// <summary>
/// Before any service starts (and after the options were validated), checks that the silo's ports are free: Orleans
/// and Kestrel bind with SO_REUSEPORT on Linux, so a second silo on a taken port would otherwise start beside the first
/// and share its clients. Throws <see cref="PortTakenException"/>, which the start turns into exit code 3.
/// </summary>
internal sealed class PortCheck(IOptions<SiloHostOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var silo = options.Value;
        Check(silo.ListenAddress, silo.SiloPort, $"silo port {silo.SiloPort}", "--silo-port N");
        Check(silo.ListenAddress, silo.GatewayPort, $"gateway port {silo.GatewayPort}", "--gateway-port N");
        if (silo.DashboardEnabled)
        {
            Check(IPAddress.Loopback, silo.DashboardPort, $"dashboard port {silo.DashboardPort} (127.0.0.1)",
                "--dashboard-port N, or turn the web side off with --dashboard-port 0");
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(IPAddress address, int port, string what, string fix)
    {
        if (PortProbe.WhyNotBindable(address, port) is { } reason)
        {
            throw new PortTakenException($"the silo could not listen on {what}: {reason.TrimEnd('.')}. Choose another with {fix}.");
        }
    }
}

/// <summary>A port of the silo is taken or cannot be bound; the message is the one line the user sees.</summary>
internal sealed class PortTakenException(string message) : Exception(message);
