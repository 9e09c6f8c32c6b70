namespace OrleansQueue.Security;

/// <summary>
/// TLS for the Orleans connections (silo to silo, client to gateway), bound from the <c>Tls</c> section: <c>--tls-cert</c>,
/// <c>--tls-cert-password</c> (or <see cref="PasswordVariable"/>), <c>--tls-ca</c>, <c>--tls-pin</c> and, on a silo,
/// <c>--mutual-tls</c>. Off unless one of the files or a pin is given. Loaded once, before the host is built, by
/// <see cref="TlsCredentials.TryLoad"/>.
/// </summary>
public sealed class TlsSettings
{
    public const string SectionName = "Tls";

    /// <summary>Read when no password is given on the command line, so that it need not appear in a process list.</summary>
    public const string PasswordVariable = "ORLEANSQUEUE_TLS_CERT_PASSWORD";

    /// <summary>A PKCS#12 (.pfx) file with this process's certificate and its private key. Required on a silo that
    /// speaks TLS (it is the silo's server certificate, and its client certificate toward the other silos); on a worker
    /// or console, the client certificate a silo with <see cref="MutualTls"/> asks for. Default none.</summary>
    public string? Certificate { get; set; }

    /// <summary>The password of <see cref="Certificate"/>. Default: <see cref="PasswordVariable"/>, else none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A PEM (or DER) file with the certificate of the private CA that issued the cluster's certificates: a peer
    /// is trusted when its certificate chains to it. Default none: the machine's trusted roots (or <see cref="Pin"/>).</summary>
    public string? CertificateAuthority { get; set; }

    /// <summary>SHA-256 fingerprints (hex, colons allowed; several separated by commas) of peer certificates trusted as
    /// they are, e.g. a self-signed one. Default none.</summary>
    public string? Pin { get; set; }

    /// <summary>Silo only: every client (worker, console) and silo must present a certificate this silo trusts, or
    /// its connection is refused during the handshake. Default false: the channel is encrypted and the silo
    /// authenticated, but any client that trusts the silo may connect.</summary>
    public bool MutualTls { get; set; }

    /// <summary>Whether any TLS setting was given.</summary>
    public bool Enabled =>
        !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(CertificateAuthority) || !string.IsNullOrWhiteSpace(Pin) || MutualTls;
}
