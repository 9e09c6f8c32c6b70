using Microsoft.Extensions.Options;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Silo.Beanstalk.Hosting;

/// <summary>The gateway's port, checked before anything starts with the silo's other ports (exit code 3 when taken).</summary>
internal sealed class BeanstalkPortClaim(IOptions<BeanstalkOptions> options) : IPortClaim
{
    public PortClaim? Claim => options.Value is { Enabled: true } beanstalk
        ? new PortClaim(beanstalk.Port, beanstalk.GetBindAddress(), $"beanstalk port {beanstalk.Port} ({beanstalk.Bind})",
            "--beanstalk-port N, or turn the gateway off with --beanstalk-port 0")
        : null;
}
