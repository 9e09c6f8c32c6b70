namespace OrleansQueue.Cli.CommandLine;

/// <summary>Reads a file named on the command line; a path that is wrong or unreadable is a usage error (exit 2).</summary>
internal static class UserFile
{
    /// <param name="what">Names the file in messages, e.g. "payload file".</param>
    public static Task<byte[]> ReadAllBytesAsync(string what, string path, CancellationToken cancellationToken) =>
        ReadAsync(what, path, () => File.ReadAllBytesAsync(path, cancellationToken));

    /// <summary>Runs <paramref name="read"/>, turning the file's failures (opening it or reading it) into usage errors.</summary>
    public static async Task<T> ReadAsync<T>(string what, string path, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.Usage($"{what} '{path}' not found");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            // .NET says "Access to the path is denied" of a directory.
            throw CliException.Usage($"{what} '{path}' is a directory, not a file");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Usage($"{what} '{path}' cannot be read: {ex.Message}");
        }
    }
}
