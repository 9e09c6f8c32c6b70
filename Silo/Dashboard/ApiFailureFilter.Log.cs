namespace OrleansQueue.Silo.Dashboard;

internal sealed partial class ApiFailureFilter
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard API {Method} {Path}: the queue did not answer")]
    private partial void LogQueueCallFailed(Exception exception, string method, PathString path);
}
