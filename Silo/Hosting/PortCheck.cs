using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansQueue.Silo.Hosting;

/// <summary>
/// Before any service starts (and after the options were validated), checks that the silo's ports are free: Orleans
/// and Kestrel bind with SO_REUSEPORT on Linux, so a second silo on a taken port would otherwise start beside the first
/// and share its clients. Throws <see cref="PortTakenException"/>, which the start turns into exit code 3.
/// </summary>
internal sealed class PortCheck(IOptions<SiloHostOptions> options, IEnumerable<IPortClaim> claims) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var silo = options.Value;
        Check(silo.SiloPort, $"silo port {silo.SiloPort}", "--silo-port N", silo.ListenAddress);
        Check(silo.GatewayPort, $"gateway port {silo.GatewayPort}", "--gateway-port N", silo.ListenAddress);
        if (silo.DashboardEnabled)
        {
            Check(silo.DashboardPort, $"dashboard port {silo.DashboardPort} (127.0.0.1)",
                "--dashboard-port N, or turn the web side off with --dashboard-port 0");
        }

        foreach (var claim in claims.Select(c => c.Claim).OfType<PortClaim>())
        {
            Check(claim.Port, claim.What, claim.Fix, claim.Address);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Check(int port, string what, string fix, IPAddress? address = null)
    {
        if (PortProbe.WhyNotBindable(port, address) is { } reason)
        {
            throw new PortTakenException($"the silo could not listen on {what}: {reason.TrimEnd('.')}. Choose another with {fix}.");
        }
    }
}

/// <summary>A port of the silo is taken or cannot be bound; the message is the one line the user sees.</summary>
internal sealed class PortTakenException(string message) : Exception(message);

/// <summary>A port another part of the silo (the beanstalk gateway) will listen on: checked with the silo's own.</summary>
internal interface IPortClaim
{
    /// <summary>The port, or null when that part is off.</summary>
    PortClaim? Claim { get; }
}

/// <param name="What">How the error names it, e.g. "beanstalk port 11300 (127.0.0.1)".</param>
/// <param name="Fix">How to choose another, e.g. "--beanstalk-port N".</param>
internal sealed record PortClaim(int Port, IPAddress Address, string What, string Fix);
