using System.Net.Sockets;

namespace OrleansQueue.Silo.Beanstalk.Connections;

internal sealed partial class BeanstalkListener
{
    /// <summary>Tests and scripts read the port from this line.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Beanstalk protocol: {Bind}:{Port} (max job size {MaxJobSize} bytes, up to {MaxConnections} connections)")]
    private partial void LogListening(string bind, int port, int maxJobSize, int maxConnections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Beanstalk protocol: off (--beanstalk-port 0)")]
    private partial void LogOff();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk protocol: {MaxConnections} connections are open, the cap (Beanstalk:MaxConnections); new ones are closed until some end")]
    private partial void LogAtCap(int maxConnections);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk protocol: accepting a connection failed ({Error}); accepting goes on")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Beanstalk protocol: draining; {Connections} connections may go on for up to {DrainTimeout} (put is answered DRAINING)")]
    private partial void LogDraining(int connections, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Beanstalk connection {Connection} failed")]
    private partial void LogConnectionFailed(Exception exception, long connection);
}
