using System.CommandLine;
using System.Text.RegularExpressions;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Client;
using OrleansQueue.Security;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.CommandLine;

/// <summary>Options valid on every command (recursive): where the silo is and how long to wait for it.</summary>
internal sealed partial class GlobalOptions
{
    /// <summary>Overrides the default gateway, so a shell can point every command at one cluster.</summary>
    public const string GatewayVariable = "ORLEANSQUEUE_GATEWAY";

    public const string DefaultClusterId = "orleans-queue";

    /// <summary>The silos' default <c>--service-id</c>: Redis keys are scoped by it, so the console must name a cluster's own.</summary>
    public const string DefaultServiceId = "orleans-queue";

    /// <summary>Default 5 s: long enough for a silo on a busy machine, short enough that the whole
    /// "silo down" error appears within 10 s.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<string, string?> _environment;

    public GlobalOptions(Func<string, string?> environment)
    {
        _environment = environment;
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
        ClusterId = Id("--cluster-id", "cluster id", "The cluster to join.", DefaultClusterId);
        ServiceId = Id("--service-id", "service id", "The service id, as the silos' (in Redis, their entries are under it).", DefaultServiceId);
        ConnectTimeout = OptionValues.Seconds(
            "--connect-timeout",
            $"Seconds to keep trying to reach the silo before giving up. Default: {DefaultConnectTimeout.TotalSeconds}.",
            t => t > TimeSpan.Zero ? null : "--connect-timeout must be greater than zero");
        ConnectTimeout.Recursive = true;
        TlsCertificate = Text("--tls-cert", "FILE.pfx", "TLS to the silo, presenting this certificate and key (PKCS#12) when the silo asks for one (--mutual-tls).");
        TlsPassword = Text("--tls-cert-password", "PASSWORD", $"Password of --tls-cert (default: ${TlsSettings.PasswordVariable}).");
        TlsAuthority = Text("--tls-ca", "FILE.pem", "TLS to the silo, trusting the certificate this CA issued (default: the machine's trusted roots).");
        TlsPin = Text("--tls-pin", "SHA256[,...]", "TLS to the silo, trusting exactly this certificate (its SHA-256 fingerprint).");
    }

    public Option<string> Gateway { get; }

    /// <summary>The cluster's Redis (<c>--storage redis</c> silos): the client reads the live gateways there.</summary>
    public Option<string?> Redis { get; }

    public Option<string> ClusterId { get; }

    /// <summary>The silos' <c>--service-id</c>: a client finds them in Redis under it (<c>{service id}/members/{cluster id}</c>).</summary>
    public Option<string> ServiceId { get; }

    public Option<TimeSpan?> ConnectTimeout { get; }

    public Option<string?> TlsCertificate { get; }

    public Option<string?> TlsPassword { get; }

    public Option<string?> TlsAuthority { get; }

    public Option<string?> TlsPin { get; }

    public IEnumerable<Option> All => [Gateway, Redis, ClusterId, ServiceId, ConnectTimeout, TlsCertificate, TlsPassword, TlsAuthority, TlsPin];

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

        var tls = new TlsSettings
        {
            Certificate = parse.GetValue(TlsCertificate),
            CertificatePassword = parse.GetValue(TlsPassword),
            CertificateAuthority = parse.GetValue(TlsAuthority),
            Pin = parse.GetValue(TlsPin),
        };
        if (!TlsCredentials.TryLoad(tls, server: false, _environment, out var credentials, out var tlsError))
        {
            throw CliException.Usage(tlsError);
        }

        return new ConnectionSettings(
            string.IsNullOrWhiteSpace(redis) ? gateway : redis,
            cluster,
            parse.GetValue(ClusterId) ?? DefaultClusterId,
            parse.GetValue(ServiceId) ?? DefaultServiceId,
            parse.GetValue(ConnectTimeout) ?? DefaultConnectTimeout,
            credentials);
    }

    private static Option<string?> Text(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName, Recursive = true };

    /// <summary>A cluster or service id, checked as the silo and the worker check theirs.</summary>
    private static Option<string> Id(string name, string what, string description, string defaultValue)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = "ID",
            Recursive = true,
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(value))
            {
                result.AddError($"{name}: the {what} is empty");
            }
            else if (!IdPattern().IsMatch(value))
            {
                result.AddError($"{name}: '{DisplayText.Echo(value)}' may only hold letters, digits, '.', '_' and '-'");
            }
        });
        return option;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex IdPattern();
}
