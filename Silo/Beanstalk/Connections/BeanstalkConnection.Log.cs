namespace OrleansQueue.Silo.Beanstalk.Connections;

internal sealed partial class BeanstalkConnection
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Beanstalk connection {Connection} opened from {Remote}")]
    private partial void LogOpened(long connection, System.Net.EndPoint? remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Beanstalk connection {Connection} closed")]
    private partial void LogClosed(long connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Beanstalk connection {Connection} closed: {Reason}")]
    private partial void LogStalled(long connection, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Beanstalk connection {Connection}: {Command} failed; answered INTERNAL_ERROR")]
    private partial void LogCommandFailed(Exception exception, long connection, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Beanstalk connection {Connection}: reading its commands failed; the connection is closed")]
    private partial void LogReadFailed(Exception exception, long connection);
}
