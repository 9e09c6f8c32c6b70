using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using OrleansQueue.Hosting;

namespace OrleansQueue.Security;

/// <summary>Turns on Orleans' TLS (<c>Microsoft.Orleans.Connections.Security</c>) with <see cref="TlsCredentials"/>.</summary>
public static class TlsHosting
{
    /// <summary>The TLS switches both hosts take, setting the <c>Tls</c> keys of <see cref="TlsSettings"/>.</summary>
    /// <param name="commandLine">The host's command line.</param>
    /// <param name="server">A silo: its certificate is required, and it may ask clients for theirs.</param>
    public static HostCommandLine TlsSwitches(this HostCommandLine commandLine, bool server)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        commandLine
            .Text("--tls-cert", "Tls:Certificate", "FILE.pfx", server
                ? "TLS on the silo and gateway ports with this certificate and key (PKCS#12); scripts/dev-certs.sh makes a development CA and certificates."
                : "TLS to the silo, presenting this certificate and key (PKCS#12) when the silo asks for one (--mutual-tls).")
            .Text("--tls-cert-password", "Tls:CertificatePassword", "PASSWORD", $"Password of --tls-cert (default: ${TlsSettings.PasswordVariable}).")
            .Text("--tls-ca", "Tls:CertificateAuthority", "FILE.pem", "Trust peers whose certificate this CA issued (default: the machine's trusted roots).")
            .Text("--tls-pin", "Tls:Pin", "SHA256[,...]", "Trust peers with exactly this certificate (SHA-256 fingerprint), e.g. a self-signed one.");
        return server
            ? commandLine.Flag("--mutual-tls", "Tls:MutualTls", "Refuse clients and silos without a certificate this silo trusts (--tls-ca, --tls-pin).")
            : commandLine;
    }

    /// <summary>Binds and loads the <c>Tls</c> section once, before the host is built (Orleans needs the certificate
    /// then). Writes one <c>error:</c> line and returns false when it cannot be used.</summary>
    public static bool TryLoad(IConfiguration configuration, bool server, TextWriter error, out TlsCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(error);
        credentials = null;
        if (!InvalidConfiguration.TryBind<TlsSettings>(configuration, TlsSettings.SectionName, error, out var settings))
        {
            return false;
        }

        if (!TlsCredentials.TryLoad(settings, server, Environment.GetEnvironmentVariable, out credentials, out var why))
        {
            error.WriteLine($"error: {why}");
            return false;
        }

        return true;
    }

    /// <summary>Refuses, with the host's other options at start, a <c>Tls</c> key no setting reads (<c>--Tls:Pins</c>).</summary>
    public static IServiceCollection AddTlsSettingsValidation(this IServiceCollection services)
    {
        services.AddOptions<TlsSettings>().BindConfiguration(TlsSettings.SectionName).ValidateOnStart();
        return services.AddKnownKeysValidation<TlsSettings>(TlsSettings.SectionName);
    }

    /// <summary>A silo: TLS on its silo and gateway listeners and on its connections to the other silos.</summary>
    public static ISiloBuilder UseQueueTls(this ISiloBuilder silo, TlsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(credentials);
        return silo.UseTls(options => credentials.Configure(options, server: true));
    }

    /// <summary>A client (worker, console): TLS to the gateway, presenting its certificate when it has one.</summary>
    public static IClientBuilder UseQueueTls(this IClientBuilder client, TlsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(credentials);
        return client.UseTls(options => credentials.Configure(options, server: false));
    }
}
