using System.Net.Mime;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrleansQueue.Silo.Dashboard.Api;
using OrleansQueue.Text;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>
/// Keeps other web sites out of the dashboard, whose API changes jobs without authentication. A page the operator
/// opens elsewhere can make their browser send requests here; these rules refuse them before any endpoint runs:
/// <list type="bullet">
/// <item>Every request (GETs too) must name a host the dashboard serves (<see cref="DashboardHosts"/>), or it is
/// answered 421: a name rebound by DNS to 127.0.0.1 would otherwise let a foreign page read the API.</item>
/// <item>A state-changing request (anything but GET, HEAD, OPTIONS, TRACE) must be one a browser sends cross-site only
/// after a CORS preflight, which the dashboard never grants: a JSON content type or an <c>X-Requested-With</c> header.
/// And when it carries an <c>Origin</c>, that origin must be the dashboard's own. Otherwise 403.</item>
/// </list>
/// With an API key set (<see cref="ApiKeyCheck"/>), every request needs it (401 otherwise), and the host rule is left
/// to the key: a page that reaches the dashboard through another name cannot know it.
/// Scripts are unaffected beyond that header: <c>curl -X POST -H 'X-Requested-With: curl' .../cancel</c>.
/// </summary>
internal sealed class DashboardRequestGuard(DashboardHosts hosts, ApiKeyCheck apiKey) : IMiddleware
{
    public const string RequestedWithHeader = "X-Requested-With";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        var host = request.Host.Value ?? "";
        if (!hosts.Serves(host))
        {
            return RefuseAsync(context, StatusCodes.Status421MisdirectedRequest,
                $"this dashboard does not serve the host '{DisplayText.Echo(host)}': open it as {hosts.Preferred} " +
                "(other names can be allowed with Dashboard:AllowedHosts).");
        }

        if (apiKey.Refuse(context) is { } unauthorized)
        {
            return RefuseAsync(context, StatusCodes.Status401Unauthorized, unauthorized);
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return next(context);
        }

        if (!IsPreflighted(request))
        {
            return RefuseAsync(context, StatusCodes.Status403Forbidden,
                $"a {DisplayText.Echo(request.Method)} must have the header {RequestedWithHeader} or a JSON content type, so that no other web site can send it.");
        }

        if (request.Headers.Origin is [var origin, ..] && !IsSameOrigin(origin, host))
        {
            return RefuseAsync(context, StatusCodes.Status403Forbidden,
                $"a {DisplayText.Echo(request.Method)} from the origin '{DisplayText.Echo(origin)}' is refused: only the dashboard's own page may send it.");
        }

        return next(context);
    }

    /// <summary>A request a browser only sends cross-origin after a successful preflight.</summary>
    private static bool IsPreflighted(HttpRequest request) =>
        request.Headers.ContainsKey(RequestedWithHeader)
        || (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && (type.MediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
                || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The page's origin is its scheme and the host it was requested under (already one the dashboard serves);
    /// https counts too, for a dashboard behind a TLS proxy.</summary>
    private static bool IsSameOrigin(string? origin, string host) =>
        string.Equals(origin, $"http://{host}", StringComparison.OrdinalIgnoreCase)
        || string.Equals(origin, $"https://{host}", StringComparison.OrdinalIgnoreCase);

    private static Task RefuseAsync(HttpContext context, int status, string message) =>
        TypedResults.Json(new ErrorResponse(message), statusCode: status).ExecuteAsync(context);
}
