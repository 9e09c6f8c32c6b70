using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>
/// The web side's API key (<see cref="SiloHostOptions.ApiKey"/>): when one is set, every request must carry it as
/// <c>Authorization: Bearer KEY</c>, except <c>GET /</c>, the page itself, which holds no data and asks for the key.
/// Orleans' own dashboard, when served (<see cref="SiloHostOptions.OrleansDashboard"/>), is opened by a browser that
/// cannot add a header, so there the key is also accepted as the password of HTTP Basic authentication (any user name),
/// and a refusal asks the browser for it.
/// </summary>
internal sealed class ApiKeyCheck(IOptions<SiloHostOptions> silo, IOptions<DashboardOptions> dashboard)
{
    private readonly byte[]? _key = silo.Value.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;
    private readonly PathString? _orleansDashboard = silo.Value.OrleansDashboard ? new(dashboard.Value.OrleansDashboardPath.TrimEnd('/')) : null;

    public bool Required => _key is not null;

    /// <summary>Null when the request may go on; otherwise the refusal's message, with its challenge set on the response.</summary>
    public string? Refuse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (_key is null || (request.Path == "/" && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))))
        {
            return null;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (Matches(authorization))
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = _orleansDashboard is { } orleans && request.Path.StartsWithSegments(orleans)
            ? "Basic realm=\"OrleansQueue (user: any, password: the API key)\""
            : "Bearer realm=\"OrleansQueue\"";
        return authorization.Length == 0
            ? "this dashboard needs its API key: send the header 'Authorization: Bearer KEY'."
            : "the API key sent is not this dashboard's.";
    }

    private bool Matches(string authorization)
    {
        string? presented = null;
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        else if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                presented = pair[(pair.IndexOf(':', StringComparison.Ordinal) + 1)..];
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key);
    }
}
