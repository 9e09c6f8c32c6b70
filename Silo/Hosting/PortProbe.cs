using System.Net;
using System.Net.Sockets;

namespace OrleansQueue.Silo.Hosting;

/// <summary>Tells whether a loopback port can be listened on right now, so a taken port stops the silo before it
/// joins the cluster rather than after. A bind can still lose a race after the probe; the start-up catches that too.</summary>
internal static class PortProbe
{
    /// <summary>Null when <c>127.0.0.1:<paramref name="port"/></c> can be bound, else why not.</summary>
    public static string? WhyNotBindable(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel does on Linux: connections of an earlier process lingering in TIME_WAIT do not block the port,
        // a live listener still does.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return null;
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }
}
