using Orleans.Configuration;

namespace OrleansQueue.Silo.Hosting;

/// <summary>
/// A gateway answers a client's greeting with its own, which names its cluster id, and only then refuses a client of
/// another cluster, closing the connection at once. The close could overtake the answer still on its way out, and the
/// client was left with a closed connection that reads like a silo that is down. Lingering a moment on that refusal
/// lets the answer arrive, so the client can say which cluster this is (<c>ConnectDiagnosis</c>).
/// </summary>
internal static class GatewayRefusalLinger
{
    /// <summary>Long enough for a few kilobytes to leave over loopback or a LAN; only refused connections wait.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(250);

    /// <summary>Registered after TLS, so that it runs inside it: the TLS stream is still open while it waits.</summary>
    public static ISiloBuilder LingerOnClusterIdRefusal(this ISiloBuilder silo) =>
        silo.Configure<SiloConnectionOptions>(options => options.ConfigureGatewayInboundConnection(connection => connection.Use(next => async context =>
        {
            try
            {
                await next(context);
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("Unexpected cluster id", StringComparison.Ordinal))
            {
                await Task.Delay(Linger);
                throw;
            }
        })));
}
