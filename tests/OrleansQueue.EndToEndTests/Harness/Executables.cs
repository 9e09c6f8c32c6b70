using System.Reflection;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>Where the built executables are. The test project builds them first (ProjectReferences without
/// output) and records the repository root and configuration in its assembly metadata.</summary>
public static class Executables
{
    public static string Silo => Locate("Silo", "OrleansQueue.Silo.dll");

    public static string WorkerHost => Locate("WorkerHost", "OrleansQueue.WorkerHost.dll");

    public static string ClientConsole => Locate("ClientConsole", "OrleansQueue.ClientConsole.dll");

    /// <summary>A file of the repository, e.g. <c>scripts/dev-certs.sh</c>.</summary>
    public static string RepoFile(string relativePath) => Path.Combine(Metadata("RepoRoot"), relativePath);

    private static string Locate(string project, string dll)
    {
        var root = Metadata("RepoRoot");
        var configuration = Metadata("Configuration");
        var path = Path.Combine(root, project, "bin", configuration, "net10.0", dll);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{dll} is not built at {path}. Build it with 'dotnet build {project} -c {configuration}'.", path);
        }

        return path;
    }

    private static string Metadata(string key) =>
        typeof(Executables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no '{key}' metadata; see the test project file.");
}
