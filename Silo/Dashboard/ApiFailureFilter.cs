using OrleansQueue.Silo.Dashboard.Api;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>Turns a grain call that failed (the silo is stopping, a shard timed out) into
/// <c>503 {"error": ...}</c>, so the page shows why instead of an empty 500.</summary>
internal sealed partial class ApiFailureFilter(ILogger<ApiFailureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogQueueCallFailed(ex, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return TypedResults.Json(new ErrorResponse($"the queue did not answer: {ex.Message}"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
