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

    /// <summary>Null when <c>127.0.0.1:<paramref name="port"/></c> (or <paramref name="address"/>) can be bound, else why not.</summary>
    public static string? WhyNotBindable(int port, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        AllowTimeWait(socket);
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

    /// <summary>Lets <paramref name="socket"/> bind a port that connections of an earlier process hold in TIME_WAIT,
    /// but not one a live listener holds.</summary>
    public static void AllowTimeWait(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
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
    }
}
