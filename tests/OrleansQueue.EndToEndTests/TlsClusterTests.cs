using OrleansQueue.EndToEndTests.Harness;
using OrleansQueue.Hosting;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>
/// A cluster whose Orleans connections are all TLS with mutual authentication: a silo and a worker with certificates
/// from <c>scripts/dev-certs.sh</c>, and the console client as a real process. One silo serves the whole class; each
/// refusal is a client's, so the tests do not disturb each other.
/// </summary>
public sealed class TlsClusterTests(TlsClusterTests.TlsCluster fixture, ITestOutputHelper output) : IClassFixture<TlsClusterTests.TlsCluster>
{
    /// <summary>Refusals come after the connect timeout, diagnosed from the handshakes tried in it: three seconds keeps
    /// them quick and leaves room for a first handshake on a loaded machine (with one second, a load of 25 on two cores
    /// sometimes left none, and the client could only say the silo was unreachable: exit 4).</summary>
    private static readonly string[] QuickGiveUp = ["--connect-timeout", "3"];

    [Fact]
    public Task AJobSubmittedOverTls_IsRunByTheWorkerWithItsCertificate() => fixture.Cluster.VerifyAsync(async () =>
    {
        // Act
        var submit = await fixture.Cluster.RunCliAsync(["submit", "TRANSCODE_VIDEO", "--data", "{\"durationMs\": 100, \"result\": \"done over tls\"}", "--wait", .. fixture.Certificates.Options("client")]);

        // Assert
        Assert.True(submit.ExitCode == 0, $"submit --wait failed: {submit}");
        var id = submit.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .First(line => Guid.TryParse(line.Split(' ')[0], out _)).Split(' ')[0];
        var status = await fixture.Cluster.RunCliAsync(["status", id, "--json", .. fixture.Certificates.Options("client")]);
        var job = CliJson.Job(status.Stdout);
        Assert.Equal(Outcomes.Completed, job.Status);
        Assert.Equal("tls-worker", Assert.Single(job.AttemptHistory).Worker);
    });

    [Fact]
    public Task AClientWithoutACertificate_IsRefusedByTheMutualTlsSilo_ExitTen() => AssertRefusedAsync(
        [.. fixture.Certificates.TrustOnly], ExitCodes.CertificateRefused, "requires a client certificate (mutual TLS): give --tls-cert");

    [Fact]
    public Task AClientWithoutTls_IsToldTheSiloSpeaksTls_ExitEight() => AssertRefusedAsync(
        [], ExitCodes.TlsMismatch, "speaks TLS and this client does not");

    [Fact]
    public Task AClientPinningAnotherCertificate_IsToldItDoesNotTrustTheSilo_ExitNine() => AssertRefusedAsync(
        ["--tls-pin", new string('A', 64), "--tls-cert", Path.Combine(fixture.Certificates.Directory, "client.pfx"), "--tls-cert-password", fixture.Certificates.Password],
        ExitCodes.UntrustedCertificate, "presented a certificate this client does not trust: 'CN=orleansqueue-silo'");

    [Fact]
    public Task AClientWithAnotherClusterId_IsToldWhichClusterTheSiloServes_ExitSeven() => AssertRefusedAsync(
        ["--cluster-id", "another-cluster", .. fixture.Certificates.Options("client")],
        ExitCodes.WrongCluster, "belongs to cluster 'orleans-queue', not 'another-cluster': give --cluster-id orleans-queue");

    [Fact]
    public Task AWorkerWithoutACertificate_CannotConnect_ExitTen() => fixture.Cluster.VerifyAsync(async () =>
    {
        // Act
        var worker = fixture.Cluster.StartWorker("uncertified", 1, [.. fixture.Certificates.TrustOnly, .. QuickGiveUp]);
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(ExitCodes.CertificateRefused, exitCode);
        var error = Assert.Single(worker.StandardErrorText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the silo at ", error, StringComparison.Ordinal);
        Assert.Contains("requires a client certificate", error, StringComparison.Ordinal);
    });

    /// <summary>The client says why in one <c>error:</c> line, with no stack trace, and ends with its own exit code.</summary>
    private Task AssertRefusedAsync(string[] clientOptions, int exitCode, string expected) => fixture.Cluster.VerifyAsync(async () =>
    {
        // Act
        var result = await fixture.Cluster.RunCliAsync(["metrics", .. clientOptions, .. QuickGiveUp]);

        // Assert
        output.WriteLine(result.ToString());
        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    });

    /// <summary>Certificates, a TLS silo that requires client certificates, and a worker presenting its own.</summary>
    public sealed class TlsCluster(IMessageSink diagnostics) : IAsyncLifetime
    {
        private DevCertificates? _certificates;
        private QueueCluster? _cluster;

        public DevCertificates Certificates => _certificates ?? throw new InvalidOperationException("The fixture has not started.");

        public QueueCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

        public async Task InitializeAsync()
        {
            _certificates = await DevCertificates.CreateAsync();
            _cluster = await QueueCluster.StartAsync(new MessageSinkOutput(diagnostics), [.. _certificates.Options("silo"), "--mutual-tls"]);
            await _cluster.VerifyAsync(async () =>
            {
                await _cluster.Silo.WaitForLineAsync("TLS on the silo and gateway ports", QueueCluster.StartTimeout);
                await _cluster.StartWorkerAsync("tls-worker", 2, _certificates.Options("worker"));
            });
        }

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            _certificates?.Dispose();
        }
    }
}
