using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace OrleansQueue.Client;

/// <summary>
/// Where a client finds the cluster: the silos' gateways listed by hand (<c>--gateway host:port[,host:port…]</c>), or
/// the cluster's membership table in Redis (<c>--redis host:port</c>), which lists every live silo's gateway.
/// </summary>
public sealed record ClusterEndpoints
{
    private ClusterEndpoints(IReadOnlyList<IPEndPoint> gateways, string? redis)
    {
        Gateways = gateways;
        Redis = redis;
    }

    /// <summary>The gateways given by hand; empty when the cluster is found through <see cref="Redis"/>.</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; }

    /// <summary>The Redis configuration string of the cluster's membership table, or null.</summary>
    public string? Redis { get; }

    /// <summary>Where the client looks, for messages: <c>the silo at 127.0.0.1:30000</c>, <c>the cluster in Redis at …</c>.</summary>
    public string Description => Redis is { } redis
        ? $"the cluster in Redis at {RedisConnection.Redacted(redis)}"
        : Gateways.Count == 1 ? $"the silo at {Gateways[0]}" : $"the silos at {string.Join(",", Gateways.Select(g => g.ToString()))}";

    public static ClusterEndpoints OfGateways(params IPEndPoint[] gateways)
    {
        ArgumentOutOfRangeException.ThrowIfZero(gateways.Length);
        return new ClusterEndpoints(gateways, null);
    }

    /// <summary>Reads <c>--redis</c> when given (it wins: the membership table knows every gateway), else
    /// <c>--gateway</c>, one <c>host:port</c> or several separated by commas.</summary>
    public static bool TryParse(string? gateway, string? redis, [NotNullWhen(true)] out ClusterEndpoints? endpoints, out string error)
    {
        endpoints = null;
        if (!string.IsNullOrWhiteSpace(redis))
        {
            if (!RedisConnection.TryParse(redis, out _, out error))
            {
                return false;
            }

            endpoints = new ClusterEndpoints([], redis);
            return true;
        }

        if (!GatewayEndpoint.TryParseList(gateway, out var gateways, out error))
        {
            return false;
        }

        endpoints = new ClusterEndpoints(gateways, null);
        return true;
    }
}
