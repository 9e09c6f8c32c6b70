using System.Globalization;
using System.Net;

namespace OrleansQueue.Cli.Connection;

/// <summary>Where and how to connect, from the global options <c>--gateway</c>, <c>--cluster-id</c> and
/// <c>--connect-timeout</c>.</summary>
/// <param name="Gateway">The gateway as the user wrote it (shown in messages), e.g. <c>127.0.0.1:30000</c>.</param>
/// <param name="Endpoint">The resolved gateway address.</param>
/// <param name="ClusterId">The cluster to join.</param>
/// <param name="ConnectTimeout">How long to keep trying before reporting the silo unreachable.</param>
internal sealed record ConnectionSettings(string Gateway, IPEndPoint Endpoint, string ClusterId, TimeSpan ConnectTimeout)
{
    public string Unreachable =>
        $"cannot reach the silo at {Gateway} within {ConnectTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; is it running?";
}
