using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansQueue.Security;

namespace OrleansQueue.Tests.Security;

/// <summary>What a process trusts in a peer (<c>--tls-ca</c>, <c>--tls-pin</c>), and how a certificate that cannot be
/// used is refused before anything starts.</summary>
public sealed class TlsCredentialsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("oq-tls-tests-").FullName;

    [Fact]
    public void APeerIssuedByTheGivenCa_IsTrusted_AndOneFromAnotherCaIsNot()
    {
        // Arrange
        using var ca = NewCa("CN=cluster CA");
        using var stranger = NewCa("CN=stranger CA");
        using var peer = Issue(ca, "CN=silo");
        using var impostor = Issue(stranger, "CN=silo");
        var credentials = Load(new TlsSettings { CertificateAuthority = WritePem(ca, "ca.crt") });

        // Act
        var trusted = credentials.WhyUntrusted(peer, null, SslPolicyErrors.RemoteCertificateChainErrors);
        var refused = credentials.WhyUntrusted(impostor, null, SslPolicyErrors.RemoteCertificateChainErrors);

        // Assert
        Assert.Null(trusted);
        Assert.NotNull(refused);
        Assert.Contains("'CN=silo' issued by 'CN=stranger CA'", refused, StringComparison.Ordinal);
        Assert.Contains("not issued by the CA of --tls-ca (CN=cluster CA)", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void APinnedCertificate_IsTrustedByItsFingerprint_WithColonsOrWithout_AndNoOtherIs()
    {
        // Arrange
        using var ca = NewCa("CN=self");
        using var other = NewCa("CN=other");
        var colons = string.Join(':', TlsCredentials.Fingerprint(ca).Chunk(2).Select(pair => new string(pair)));
        var credentials = Load(new TlsSettings { Pin = $"{new string('0', 64)}, {colons.ToLowerInvariant()}" });

        // Act
        var pinned = credentials.WhyUntrusted(ca, null, SslPolicyErrors.RemoteCertificateChainErrors);
        var refused = credentials.WhyUntrusted(other, null, SslPolicyErrors.None);

        // Assert
        Assert.Null(pinned);
        Assert.Contains("its fingerprint is not one of --tls-pin", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutCaOrPin_ThePeerMustChainToTheMachinesRoots_ItsNameIsNotChecked()
    {
        using var ca = NewCa("CN=any");
        var credentials = Load(new TlsSettings { MutualTls = true, Certificate = WritePfx(ca, "own.pfx", "pw"), CertificatePassword = "pw" }, server: true);

        Assert.Null(credentials.WhyUntrusted(ca, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.Contains("not issued by a CA this machine trusts", credentials.WhyUntrusted(ca, null, SslPolicyErrors.RemoteCertificateChainErrors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.pfx", "pw", "the certificate file")]
    [InlineData("own.pfx", "wrong", "with the password given")]
    [InlineData("own.pfx", null, "without a password")]
    public void ACertificateThatCannotBeOpened_IsOneLineNamingTheOption(string file, string? password, string expected)
    {
        using var ca = NewCa("CN=own");
        WritePfx(ca, "own.pfx", "pw");

        var loaded = TlsCredentials.TryLoad(
            new TlsSettings { Certificate = Path.Combine(_directory, file), CertificatePassword = password }, server: false, _ => null, out _, out var error);

        Assert.False(loaded);
        Assert.StartsWith("--tls-cert: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePasswordVariable_OpensTheCertificate_WhenNoPasswordIsGiven()
    {
        using var ca = NewCa("CN=own");
        var path = WritePfx(ca, "own.pfx", "from-env");

        var loaded = TlsCredentials.TryLoad(new TlsSettings { Certificate = path }, server: true,
            name => name == TlsSettings.PasswordVariable ? "from-env" : null, out var credentials, out var error);

        Assert.True(loaded, error);
        Assert.Equal("CN=own", credentials!.Certificate!.Subject);
    }

    [Fact]
    public void ASiloWithoutACertificate_AndAMalformedPin_AreRefused()
    {
        Assert.False(TlsCredentials.TryLoad(new TlsSettings { MutualTls = true }, server: true, _ => null, out _, out var noCertificate));
        Assert.Contains("give --tls-cert FILE.pfx", noCertificate, StringComparison.Ordinal);
        Assert.False(TlsCredentials.TryLoad(new TlsSettings { Pin = "abc" }, server: false, _ => null, out _, out var badPin));
        Assert.Contains("--tls-pin: 'abc' is not a SHA-256 fingerprint", badPin, StringComparison.Ordinal);
    }

    [Fact]
    public void NoTlsSetting_MeansNoTls()
    {
        Assert.True(TlsCredentials.TryLoad(new TlsSettings(), server: true, _ => null, out var credentials, out _));
        Assert.Null(credentials);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TlsCredentials Load(TlsSettings settings, bool server = false)
    {
        Assert.True(TlsCredentials.TryLoad(settings, server, _ => null, out var credentials, out var error), error);
        return credentials!;
    }

    private static X509Certificate2 NewCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
        return issued.CopyWithPrivateKey(key);
    }

    private string WritePem(X509Certificate2 certificate, string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private string WritePfx(X509Certificate2 certificate, string name, string password)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
