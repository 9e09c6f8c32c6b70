using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using OrleansQueue.Hosting;
using OrleansQueue.Security;

namespace OrleansQueue.Client;

/// <summary>
/// Tells why a client could not join the cluster when the gateway is there but would not have it. Orleans reports
/// each of these as a gateway it could not connect to, which reads like a silo that is down:
/// <list type="bullet">
/// <item>another cluster id: the gateway's answer names its cluster, which Orleans throws on the connection it then
/// closes; <see cref="Watch"/> keeps that (the silo lingers on such a connection so that its answer arrives:
/// <c>GatewayRefusalLinger</c>);</item>
/// <item>TLS on one side only, a silo certificate this client does not trust, or a client certificate the silo
/// refused: Orleans' TLS layer only logs these, so <see cref="ExplainAsync"/> makes one TLS handshake of its own with
/// the first gateway and reads the outcome;</item>
/// <item>in Redis mode, a Redis that cannot be reached or refuses the client (a wrong or missing password): Orleans'
/// Redis clustering throws StackExchange.Redis' exception from the start, which <see cref="ExplainAsync"/> reads; when
/// the connect timeout ran out first, <see cref="ExplainAsync"/> asks Redis itself.</item>
/// </list>
/// </summary>
public sealed partial class ConnectDiagnosis(ClusterEndpoints endpoints, TlsCredentials? tls)
{
    /// <summary>The application protocol Orleans' TLS connections name (ALPN).</summary>
    private static readonly SslApplicationProtocol OrleansProtocol = new("Orleans1");

    /// <summary>How long the diagnostic handshake may take, and how long after it a silo that refuses the client's
    /// certificate (TLS 1.3 says so after the handshake) is waited for.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan RefusalWait = TimeSpan.FromSeconds(1);

    private string? _wrongCluster;

    /// <summary>Called with every exception a gateway connection ends with; notes a cluster id mismatch. Returns false,
    /// so that it can watch from an exception filter without catching anything.</summary>
    public bool Watch(Exception exception)
    {
        if (exception is InvalidOperationException && ClusterIdMismatch().Match(exception.Message) is { Success: true } match)
        {
            var theirs = match.Groups["theirs"].Value;
            var ours = match.Groups["ours"].Value;
            _wrongCluster = WrongCluster(theirs, ours);
        }

        return false;
    }

    /// <summary>Why the start failed with <paramref name="failure"/>, or null when nothing here explains it (the silo is
    /// down or silent). In Redis mode it is always the cluster unreachable (<see cref="ExitCodes.SiloUnreachable"/>):
    /// with Redis' reason (<see cref="RedisConnection.Reason"/>) when Redis is down or refused the client, else as no
    /// silo listed.</summary>
    public async Task<ConnectRefusal?> ExplainAsync(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (_wrongCluster is { } wrongCluster)
        {
            return new ConnectRefusal(ExitCodes.WrongCluster, wrongCluster);
        }

        if (endpoints.Redis is { } redis)
        {
            // The connect timeout can run out before StackExchange.Redis gives its reason: then one PING of its own tells
            // a Redis that is down or refuses the client from one that answers but lists no live silo.
            var why = RedisConnection.IsRedisError(failure) ? RedisConnection.Reason(failure) : await RedisConnection.WhyUnreachableAsync(redis, ProbeTimeout);
            return new ConnectRefusal(ExitCodes.SiloUnreachable, $"cannot reach {endpoints.Description}: " +
                (why ?? "Redis answers, but lists no live silo of this cluster id and service id; is one running, with the same --cluster-id and --service-id?"));
        }

        return endpoints.Gateways.Count > 0 ? await ProbeAsync(endpoints.Gateways[0]) : null;
    }

    private string WrongCluster(string theirs, string ours) =>
        $"{endpoints.Description} belongs to cluster '{theirs}', not '{ours}': give --cluster-id {theirs}";

    private async Task<ConnectRefusal?> ProbeAsync(IPEndPoint gateway)
    {
        var where = $"the silo at {gateway}";
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        using var tcp = new TcpClient(gateway.AddressFamily);
        try
        {
            await tcp.ConnectAsync(gateway, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return null;
        }

        var stream = new FirstByteStream(tcp.GetStream());
        string? untrusted = null;
        await using var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) =>
        {
            if (tls is null)
            {
                return true;
            }

            untrusted = certificate is null
                ? "it presented none"
                : tls.WhyUntrusted(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), chain, errors);
            return untrusted is null;
        });
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "",
                ApplicationProtocols = [OrleansProtocol],
                ClientCertificates = tls?.Certificate is { } own ? [own] : null,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timeout.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            return tls is null ? null // Neither side speaks TLS: not the cause.
                : untrusted is not null ? new ConnectRefusal(ExitCodes.UntrustedCertificate, $"{where} presented a certificate this client does not trust: {untrusted}")
                : stream.FirstByte == FirstByteStream.TlsHandshakeRecord ? CertificateRefused(where)
                : new ConnectRefusal(ExitCodes.TlsMismatch,
                    $"{where} does not speak TLS and this client does (--tls-…): start the silo with --tls-cert FILE, or leave the TLS options out here");
        }

        if (tls is null)
        {
            return new ConnectRefusal(ExitCodes.TlsMismatch,
                $"{where} speaks TLS and this client does not: give --tls-ca FILE (the CA that issued the silo's certificate) or --tls-pin SHA256, " +
                "and --tls-cert FILE when the silo asks clients for a certificate");
        }

        // TLS 1.3: a silo refuses the client's certificate after the handshake, with an alert; one that accepts it waits
        // for the client to speak first.
        using var wait = new CancellationTokenSource(RefusalWait);
        try
        {
            return await ssl.ReadAsync(new byte[1], wait.Token) == 0 ? CertificateRefused(where) : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return CertificateRefused(where);
        }
    }

    private ConnectRefusal CertificateRefused(string where) => new(ExitCodes.CertificateRefused, tls?.Certificate is { } own
        ? $"{where} refused this client's certificate '{own.Subject}' (issued by '{own.Issuer}'): it is not one the silo trusts; use a certificate from the cluster's CA"
        : $"{where} requires a client certificate (mutual TLS): give --tls-cert FILE.pfx with a certificate from the cluster's CA");

    /// <summary>Orleans' words: <c>Unexpected cluster id "theirs", expected "ours"</c>.</summary>
    [GeneratedRegex("Unexpected cluster id \"(?<theirs>[^\"]*)\", expected \"(?<ours>[^\"]*)\"")]
    private static partial Regex ClusterIdMismatch();
}
