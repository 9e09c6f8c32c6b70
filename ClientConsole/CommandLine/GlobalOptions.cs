using System.CommandLine;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Client;

namespace OrleansQueue.Cli.CommandLine;

/// <summary>Options valid on every command (recursive): where the silo is and how long to wait for it.</summary>
internal sealed class GlobalOptions
{
    /// <summary>Overrides the default gateway, so a shell can point every command at one cluster.</summary>
    public const string GatewayVariable = "ORLEANSQUEUE_GATEWAY";

    public const string DefaultClusterId = "orleans-queue";

    /// <summary>Default 5 s: long enough for a silo on a busy machine, short enough that the whole
    /// "silo down" error appears within 10 s.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    public GlobalOptions(Func<string, string?> environment)
    {
        var fromEnvironment = environment(GatewayVariable);
        Gateway = new Option<string>("--gateway")
        {
            Description = $"The silo's gateway as host:port, or several separated by commas; ${GatewayVariable} overrides the default {GatewayEndpoint.Default}.",
            HelpName = "host:port",
            Recursive = true,
            DefaultValueFactory = _ => string.IsNullOrWhiteSpace(fromEnvironment) ? GatewayEndpoint.Default : fromEnvironment,
        };
        Redis = new Option<string?>("--redis")
        {
            Description = "Find the silos in the cluster's Redis membership table (host:port or a StackExchange.Redis configuration string) instead of --gateway.",
            HelpName = "host:port",
            Recursive = true,
        };
        ClusterId = new Option<string>("--cluster-id")
        {
            Description = "The cluster to join.",
            HelpName = "ID",
            Recursive = true,
            DefaultValueFactory = _ => DefaultClusterId,
        };
        ClusterId.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
            {
                result.AddError("--cluster-id: the cluster id is empty");
            }
        });
        ConnectTimeout = OptionValues.Seconds(
            "--connect-timeout",
            $"Seconds to keep trying to reach the silo before giving up. Default: {DefaultConnectTimeout.TotalSeconds}.",
            t => t > TimeSpan.Zero ? null : "--connect-timeout must be greater than zero");
        ConnectTimeout.Recursive = true;
    }

    public Option<string> Gateway { get; }

    /// <summary>The cluster's Redis (<c>--storage redis</c> silos): the client reads the live gateways there.</summary>
    public Option<string?> Redis { get; }

    public Option<string> ClusterId { get; }

    public Option<TimeSpan?> ConnectTimeout { get; }

    public IEnumerable<Option> All => [Gateway, Redis, ClusterId, ConnectTimeout];

    /// <summary>The options the user wrote on this command line (not defaulted).</summary>
    public IEnumerable<Option> Given(ParseResult parse) => All.Where(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>Resolves the gateway (a host name needs DNS, so this happens only when about to connect).</summary>
    /// <exception cref="CliException">A usage error: the gateway is malformed or cannot be resolved.</exception>
    public ConnectionSettings Read(ParseResult parse)
    {
        var gateway = parse.GetValue(Gateway) ?? GatewayEndpoint.Default;
        var redis = parse.GetValue(Redis);
        if (!ClusterEndpoints.TryParse(gateway, redis, out var cluster, out var error))
        {
            var source = !string.IsNullOrWhiteSpace(redis) ? "--redis" : parse.GetResult(Gateway) is { Implicit: false } ? "--gateway" : GatewayVariable;
            throw CliException.Usage($"{source}: {error}");
        }

        return new ConnectionSettings(
            string.IsNullOrWhiteSpace(redis) ? gateway : redis,
            cluster,
            parse.GetValue(ClusterId) ?? DefaultClusterId,
            parse.GetValue(ConnectTimeout) ?? DefaultConnectTimeout);
    }
}
