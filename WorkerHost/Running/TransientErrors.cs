using System.Net.Sockets;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace OrleansQueue.Worker.Running;

/// <summary>Errors of a grain call that say nothing about the call itself (silo restarting, connection lost,
/// timeout): the same call may succeed if sent again.</summary>
internal static class TransientErrors
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutException or OrleansMessageRejectionException or ConnectionFailedException
            or GatewayTooBusyException or SocketException or IOException => true,
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>Exponential backoff for the <paramref name="failures"/>-th consecutive failure: 250 ms doubling to 5 s.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(5000, 250 * Math.Pow(2, Math.Clamp(failures - 1, 0, 10))));
}
