using System.Globalization;
using OrleansQueue.Client;
using OrleansQueue.Security;

namespace OrleansQueue.Cli.Connection;

/// <summary>Where and how to connect, from the global options <c>--gateway</c> (or <c>--redis</c>), <c>--cluster-id</c>,
/// <c>--service-id</c> and <c>--connect-timeout</c>.</summary>
/// <param name="Gateway">Where to connect as the user wrote it (shown in messages), e.g. <c>127.0.0.1:30000</c>.</param>
/// <param name="Cluster">The resolved gateways, or the Redis membership table that lists them.</param>
/// <param name="ClusterId">The cluster to join.</param>
/// <param name="ServiceId">The cluster's service id, as its silos' (in Redis mode their entries are found under it).</param>
/// <param name="ConnectTimeout">How long to keep trying before reporting the silo unreachable.</param>
/// <param name="Tls">TLS to the gateway (<c>--tls-…</c>), or null.</param>
internal sealed record ConnectionSettings(string Gateway, ClusterEndpoints Cluster, string ClusterId, string ServiceId, TimeSpan ConnectTimeout, TlsCredentials? Tls = null)
{
    public string Unreachable =>
        $"cannot reach {Cluster.Description} within {ConnectTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; is it running?";
}
