using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansQueue.Security;

/// <summary>
/// The loaded <see cref="TlsSettings"/>: this process's certificate and what it trusts in a peer. A peer is trusted when
/// its certificate is pinned (<see cref="TlsSettings.Pin"/>), or chains to the given CA (<see cref="TlsSettings.CertificateAuthority"/>),
/// or, with neither given, to the machine's trusted roots. Silos and clients connect by address, so a certificate's
/// host names are not checked: what issued it (or its pin) is what is trusted; give the cluster a CA of its own.
/// </summary>
public sealed class TlsCredentials
{
    private readonly X509Certificate2Collection _authorities;
    private readonly HashSet<string> _pins;

    private TlsCredentials(X509Certificate2? certificate, X509Certificate2Collection authorities, HashSet<string> pins, bool mutualTls)
    {
        Certificate = certificate;
        _authorities = authorities;
        _pins = pins;
        MutualTls = mutualTls;
    }

    /// <summary>This process's certificate with its private key, or null (a client without one).</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>A silo refuses peers without a trusted certificate.</summary>
    public bool MutualTls { get; }

    /// <summary>Loads the files of <paramref name="settings"/>. Null credentials (and true) when TLS is off; false with
    /// one line in <paramref name="error"/> when a file cannot be read, the password is wrong or a pin is malformed.</summary>
    /// <param name="settings">What the command line and configuration say.</param>
    /// <param name="server">A silo: it needs a certificate of its own.</param>
    /// <param name="environment">Where <see cref="TlsSettings.PasswordVariable"/> is read.</param>
    /// <param name="credentials">The loaded credentials, or null when TLS is off.</param>
    /// <param name="error">Why they cannot be loaded.</param>
    public static bool TryLoad(TlsSettings settings, bool server, Func<string, string?> environment, out TlsCredentials? credentials, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        credentials = null;
        error = null;
        if (!settings.Enabled)
        {
            return true;
        }

        if (server && string.IsNullOrWhiteSpace(settings.Certificate))
        {
            error = "a silo with TLS needs its certificate: give --tls-cert FILE.pfx (scripts/dev-certs.sh makes one)";
            return false;
        }

        X509Certificate2? certificate = null;
        if (!string.IsNullOrWhiteSpace(settings.Certificate)
            && !TryLoadCertificate(settings.Certificate, settings.CertificatePassword ?? environment(TlsSettings.PasswordVariable), out certificate, out error))
        {
            return false;
        }

        var authorities = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(settings.CertificateAuthority))
        {
            try
            {
                authorities.ImportFromPemFile(settings.CertificateAuthority);
                if (authorities.Count == 0)
                {
                    authorities.Add(X509CertificateLoader.LoadCertificateFromFile(settings.CertificateAuthority));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                error = $"--tls-ca: cannot read the CA certificate '{settings.CertificateAuthority}': {ex.Message.TrimEnd('.')}";
                return false;
            }
        }

        var pins = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pin in (settings.Pin ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var hex = pin.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
            if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            {
                error = $"--tls-pin: '{pin}' is not a SHA-256 fingerprint (64 hex digits, e.g. from openssl x509 -noout -fingerprint -sha256)";
                return false;
            }

            pins.Add(hex);
        }

        credentials = new TlsCredentials(certificate, authorities, pins, settings.MutualTls);
        return true;
    }

    /// <summary>Null when <paramref name="certificate"/> is one to trust; otherwise why not, for a message.</summary>
    public string? WhyUntrusted(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var fingerprint = Fingerprint(certificate);
        if (_pins.Contains(fingerprint))
        {
            return null;
        }

        if (_authorities.Count > 0)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
            }

            if (custom.Build(certificate))
            {
                return null;
            }
        }
        else if (_pins.Count == 0 && (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None)
        {
            return null;
        }

        var trusted = (_authorities.Count, _pins.Count) switch
        {
            ( > 0, > 0) => "it is neither issued by the CA of --tls-ca nor pinned by --tls-pin",
            ( > 0, _) => $"it is not issued by the CA of --tls-ca ({_authorities[0].Subject})",
            (_, > 0) => "its fingerprint is not one of --tls-pin",
            _ => "it is not issued by a CA this machine trusts: give --tls-ca FILE with the CA that issued it, or --tls-pin SHA256",
        };
        return $"'{certificate.Subject}' issued by '{certificate.Issuer}' (SHA-256 {fingerprint}): {trusted}";
    }

    /// <summary>Orleans' TLS options for this process: its certificate, the trust rule above, and on a silo with
    /// <see cref="MutualTls"/> a certificate required of every peer.</summary>
    public void Configure(TlsOptions options, bool server)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LocalCertificate = Certificate;
        options.RemoteCertificateValidation = (certificate, chain, errors) => WhyUntrusted(certificate, chain, errors) is null;
        // On a silo the mode is what it asks of the clients and silos connecting to it; a server always has a certificate.
        options.RemoteCertificateMode = !server || MutualTls ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate;
    }

    /// <summary>SHA-256 of the certificate in upper-case hex, as <c>openssl x509 -fingerprint -sha256</c> prints it without colons.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    private static bool TryLoadCertificate(string path, string? password, [NotNullWhen(true)] out X509Certificate2? certificate, [NotNullWhen(false)] out string? error)
    {
        certificate = null;
        error = null;
        if (!File.Exists(path))
        {
            error = $"--tls-cert: the certificate file '{path}' does not exist";
            return false;
        }

        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException ex)
        {
            error = string.IsNullOrEmpty(password)
                ? $"--tls-cert: cannot open '{path}' without a password ({ex.Message.TrimEnd('.')}): give --tls-cert-password or set {TlsSettings.PasswordVariable}"
                : $"--tls-cert: cannot open '{path}' with the password given ({ex.Message.TrimEnd('.')}): is it the right password, and a PKCS#12 (.pfx) file?";
            return false;
        }

        if (!certificate.HasPrivateKey)
        {
            error = $"--tls-cert: '{path}' holds no private key; export the certificate with its key (openssl pkcs12 -export -inkey KEY -in CERT)";
            certificate.Dispose();
            certificate = null;
            return false;
        }

        if (certificate.NotAfter < DateTime.Now)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--tls-cert: the certificate in '{path}' expired on {certificate.NotAfter:yyyy-MM-dd}");
            certificate.Dispose();
            certificate = null;
            return false;
        }

        return true;
    }
}
