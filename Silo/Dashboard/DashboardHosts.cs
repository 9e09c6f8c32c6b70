using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>The <c>Host</c> values the dashboard answers: its loopback address and the loopback names with its port
/// (<c>127.0.0.1:P</c>, <c>localhost:P</c>, <c>[::1]:P</c>; without the port too when it is 80), plus
/// <see cref="DashboardOptions.AllowedHosts"/> as written; with an API key, any host (see <see cref="DashboardRequestGuard"/>).</summary>
internal sealed class DashboardHosts
{
    private readonly HashSet<string> _hosts;

    private readonly bool _anyHost;

    public DashboardHosts(SiloHostOptions silo, bool https, IOptions<DashboardOptions> options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var port = silo.DashboardPort;
        // With a key, a page from a name rebound to this machine gets nowhere: it cannot know the key.
        _anyHost = !string.IsNullOrEmpty(silo.ApiKey);
        var suffix = ":" + port.ToString(CultureInfo.InvariantCulture);
        string[] loopback = ["127.0.0.1", "localhost", "[::1]"];
        _hosts = new HashSet<string>(loopback.Select(name => name + suffix), StringComparer.OrdinalIgnoreCase);
        if (port == 80)
        {
            _hosts.UnionWith(loopback);
        }

        _hosts.UnionWith(options.Value.AllowedHosts);
        var address = silo.DashboardAddress;
        var shown = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? Environment.MachineName
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        Preferred = (https ? "https://" : "http://") + shown + suffix + "/";
    }

    /// <summary>The address the silo logs, to tell a refused user where the dashboard is.</summary>
    public string Preferred { get; }

    public bool Serves(string host) => _anyHost || _hosts.Contains(host);
}
