namespace OrleansQueue.Silo.Diagnostics;

internal sealed partial class QueueStateRefresher
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the queue's metrics for the gauges failed; they keep their last values until a read succeeds")]
    private partial void LogRefreshFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading the queue's metrics for the gauges works again")]
    private partial void LogRecovered();
}
