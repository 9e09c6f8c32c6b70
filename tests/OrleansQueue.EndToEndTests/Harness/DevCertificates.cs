namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>A development CA and certificates made by <c>scripts/dev-certs.sh</c> in a directory of their own, deleted
/// when disposed. The options each process needs are here as command-line arguments.</summary>
public sealed class DevCertificates : IDisposable
{
    private DevCertificates(string directory, string password)
    {
        Directory = directory;
        Password = password;
    }

    public string Directory { get; }

    public string Password { get; }

    /// <summary>The options of a process presenting <paramref name="pfx"/> (<c>silo</c>, <c>worker</c> or <c>client</c>) and trusting the CA.</summary>
    public string[] Options(string pfx) =>
        ["--tls-cert", Path.Combine(Directory, pfx + ".pfx"), "--tls-cert-password", Password, "--tls-ca", Path.Combine(Directory, "ca.crt")];

    /// <summary>The options of a client that trusts the CA but has no certificate of its own.</summary>
    public string[] TrustOnly => ["--tls-ca", Path.Combine(Directory, "ca.crt")];

    public static async Task<DevCertificates> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "oq-certs-" + Guid.NewGuid().ToString("N"));
        await using var script = ProcessRunner.StartProgram("dev-certs", "bash", [Executables.RepoFile("scripts/dev-certs.sh"), directory], Path.GetTempPath());
        var exit = await script.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (exit != 0)
        {
            throw new InvalidOperationException($"scripts/dev-certs.sh failed ({exit}):\n{script.Describe()}");
        }

        return new DevCertificates(directory, (await File.ReadAllTextAsync(Path.Combine(directory, "password"))).Trim());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
