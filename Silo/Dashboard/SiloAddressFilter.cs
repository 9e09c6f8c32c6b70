using Microsoft.AspNetCore.Routing.Patterns;
using OrleansQueue.Silo.Dashboard.Api;
using OrleansQueue.Text;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>
/// Orleans' dashboard answers <c>/SiloProperties/{address}</c>, <c>/SiloMetadata/…</c>, <c>/SiloStats/…</c>,
/// <c>/SiloCounters/…</c> and <c>/HistoricalStats/…</c> by calling the silo the path names, and a path that names no
/// silo ends in an exception: a 500 with a stack trace in the log. This filter answers such a path 404 first; the
/// addresses its own page asks for, those of the cluster's members, pass.
/// </summary>
internal sealed class SiloAddressFilter(IClusterMembershipService membership) : IEndpointFilter
{
    private static readonly HashSet<string> SiloRoutes = new(StringComparer.OrdinalIgnoreCase)
    {
        "SiloProperties", "SiloMetadata", "SiloStats", "SiloCounters", "HistoricalStats",
    };

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (SiloParameter(context.HttpContext.GetEndpoint()) is not { } parameter)
        {
            return next(context);
        }

        var address = context.HttpContext.Request.RouteValues[parameter] as string ?? "";
        if (membership.CurrentSnapshot.Members.Keys.Any(silo => silo.ToParsableString() == address))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(TypedResults.NotFound(new ErrorResponse(
            $"no silo of this cluster has the address '{DisplayText.Echo(address)}'.")));
    }

    /// <summary>The name of the catch-all parameter holding a silo address, when the endpoint is one of
    /// <see cref="SiloRoutes"/>.</summary>
    private static string? SiloParameter(Endpoint? endpoint)
    {
        if (endpoint is not RouteEndpoint { RoutePattern: var pattern })
        {
            return null;
        }

        var literals = pattern.PathSegments.SelectMany(s => s.Parts).OfType<RoutePatternLiteralPart>().Select(p => p.Content);
        return literals.LastOrDefault() is { } route && SiloRoutes.Contains(route)
            ? pattern.Parameters.FirstOrDefault(p => p.IsCatchAll)?.Name
            : null;
    }
}
