using System.Globalization;
using Microsoft.Extensions.Options;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>The <c>Host</c> values the dashboard answers: its loopback address and the loopback names with its port
/// (<c>127.0.0.1:P</c>, <c>localhost:P</c>, <c>[::1]:P</c>; without the port too when it is 80), plus
/// <see cref="DashboardOptions.AllowedHosts"/> as written.</summary>
internal sealed class DashboardHosts
{
    private readonly HashSet<string> _hosts;

    public DashboardHosts(int port, IOptions<DashboardOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var suffix = ":" + port.ToString(CultureInfo.InvariantCulture);
        string[] loopback = ["127.0.0.1", "localhost", "[::1]"];
        _hosts = new HashSet<string>(loopback.Select(name => name + suffix), StringComparer.OrdinalIgnoreCase);
        if (port == 80)
        {
            _hosts.UnionWith(loopback);
        }

        _hosts.UnionWith(options.Value.AllowedHosts);
        Preferred = "http://127.0.0.1" + suffix + "/";
    }

    /// <summary>The address the silo logs, to tell a refused user where the dashboard is.</summary>
    public string Preferred { get; }

    public bool Serves(string host) => _hosts.Contains(host);
}
