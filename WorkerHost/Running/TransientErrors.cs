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

    /// <summary>Exponential backoff for the <paramref name="failures"/>-th consecutive failure: 250 ms doubling to 1 s.
    /// The cap is low on purpose: in a failover the calls fail fast (the dead silo refuses connections) while the shard
    /// comes back on a survivor within seconds, and a longer cap (5 s, before) left workers idle for up to ~4 s after
    /// it was back. A failing call to a dead silo costs next to nothing, and <see cref="OutageLog"/> keeps the log quiet.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(1000, 250 * Math.Pow(2, Math.Clamp(failures - 1, 0, 10))));
}
