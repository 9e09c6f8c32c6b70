using System.Net;
using System.Net.Sockets;

namespace OrleansQueue.Silo.Hosting;

/// <summary>Tells whether a loopback port can be listened on right now, so a taken port stops the silo before it
/// joins the cluster rather than after. A bind can still lose a race after the probe; the start-up catches that too.</summary>
internal static class PortProbe
{
    // SOL_SOCKET and SO_REUSEADDR as the kernel numbers them (Linux; the BSDs and macOS differ).
    private const int LinuxSolSocket = 1;
    private const int LinuxSoReuseAddr = 2;
    private const int BsdSolSocket = 0xffff;
    private const int BsdSoReuseAddr = 4;

    /// <summary>Null when <c><paramref name="address"/>:<paramref name="port"/></c> can be bound, else why not.</summary>
    public static string? WhyNotBindable(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // Connections of an earlier process lingering in TIME_WAIT must not block the port, a live listener must.
        // .NET's ReuseAddress on Unix sets SO_REUSEPORT as well, and Orleans' and Kestrel's listeners set it, so a probe
        // with it binds beside a live silo (and so did a second silo: issue 11 #1). SO_REUSEADDR alone allows the first
        // and refuses the second.
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(LinuxSolSocket, LinuxSoReuseAddr, BitConverter.GetBytes(1));
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            socket.SetRawSocketOption(BsdSolSocket, BsdSoReuseAddr, BitConverter.GetBytes(1));
        }

        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return null;
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }
}
