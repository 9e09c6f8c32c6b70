using OrleansQueue.Jobs;

namespace OrleansQueue.Cli;

/// <summary>A failure the console already knows how to explain: the message becomes the one
/// <c>error: ...</c> line on stderr and <see cref="ExitCode"/> the process's exit code.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException) => ExitCode = exitCode;

    /// <summary>One of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>No job has the id: it was never submitted, or it finished longer ago than the silo keeps finished jobs.</summary>
    public static CliException NotFound(Guid id) =>
        new(ExitCodes.NotFound, $"no job has the id {JobId.Format(id)} (a finished job is forgotten once the silo's Queue:FinishedJobRetention has passed, or sooner past its Queue:FinishedJobLimit)");
}
