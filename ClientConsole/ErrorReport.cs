using System.Net.Sockets;
using Orleans.Persistence.Redis;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;
using OrleansQueue.Text;

namespace OrleansQueue.Cli;

/// <summary>Turns any exception into the console's one <c>error: ...</c> line and an exit code: never a stack trace.</summary>
internal static class ErrorReport
{
    /// <summary>Writes the error line, on one line with its control characters escaped (it may repeat the user's input
    /// or a job's text), and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="connection">The connection in use, named in a "lost the connection" message.</param>
    public static int Write(TextWriter error, Exception exception, ConnectionSettings? connection)
    {
        var (exitCode, message) = Describe(exception, connection);
        error.WriteLine($"error: {DisplayText.OneLine(message)}");
        return exitCode;
    }

    public static (int ExitCode, string Message) Describe(Exception exception, ConnectionSettings? connection)
    {
        var chain = Chain(exception).ToList();

        // A silo-side InvalidJobException may reach us as itself or wrapped; its message is the validation result.
        foreach (var ex in chain)
        {
            switch (ex)
            {
                case CliException cli:
                    return (cli.ExitCode, cli.Message);
                case InvalidJobException invalid:
                    return (ExitCodes.Usage, invalid.Message);
                case RedisStorageException storage:
                    return (ExitCodes.SiloUnreachable, StorageUnavailable(storage.Message));
                case JobNotKeptException notKept:
                    return (ExitCodes.SiloUnreachable, notKept.Message.Contains("Redis", StringComparison.Ordinal)
                        ? StorageUnavailable(notKept.Message)
                        : $"the silo could not store the job, so nothing was kept; try again ({notKept.Message})");
            }
        }

        if (chain.FirstOrDefault(IsConnectionLoss) is { } lost)
        {
            var where = connection is null ? "the silo" : connection.Cluster.Description;
            return (ExitCodes.SiloUnreachable, $"lost the connection to {where}: {lost.Message}");
        }

        return exception is OperationCanceledException
            ? (ExitCodes.Refused, "cancelled")
            : (ExitCodes.Refused, exception.Message);
    }

    /// <summary>Redis mode: the silo could not read or write the job in Redis, so nothing was changed. The provider's
    /// message names the grain, the key and the Redis error; the Redis error is what the user can act on.</summary>
    private static string StorageUnavailable(string message)
    {
        var cause = message.LastIndexOf("Exception: ", StringComparison.Ordinal) is var at and >= 0
            ? message[(at + "Exception: ".Length)..]
            : message;
        // StackExchange.Redis goes on with connection diagnostics after the endpoint ("…on 127.0.0.1:6379/Interactive, …").
        var endpointEnd = cause.IndexOf("/Interactive", StringComparison.Ordinal);
        cause = endpointEnd >= 0 ? cause[..endpointEnd] : cause.Split(". ", 2)[0].TrimEnd('.');
        return $"the silo could not reach its storage (Redis), so nothing was changed; try again when Redis is back ({cause})";
    }

    private static bool IsConnectionLoss(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
            or ClientNotAvailableException or TimeoutException or SocketException;

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var ex))
        {
            yield return ex;
            if (ex is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (ex.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
