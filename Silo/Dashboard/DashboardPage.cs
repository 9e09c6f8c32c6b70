using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>The page at <c>/</c>: one self-contained HTML file (inline CSS and script, no external resources, so it
/// works on a machine without internet), embedded in the assembly and read once. It links to Orleans' dashboard when
/// the silo serves it (<see cref="SiloHostOptions.OrleansDashboard"/>).</summary>
public sealed class DashboardPage(IOptions<DashboardOptions> options, IOptions<SiloHostOptions> silo)
{
    private const string ResourceName = "OrleansQueue.Silo.Dashboard.index.html";
    private const string OrleansDashboardPlaceholder = "{{ORLEANS_DASHBOARD_LINK}}";

    private readonly Lazy<byte[]> _html = new(() => Load(silo.Value.OrleansDashboard ? options.Value.OrleansDashboardPath : null));

    public IResult Serve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The page is small and changes with each build: always revalidate rather than show a stale script.
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(_html.Value, "text/html; charset=utf-8");
    }

    private static byte[] Load(string? orleansDashboardPath)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The dashboard page is not embedded as '{ResourceName}'; see Silo.csproj.");
        using var reader = new StreamReader(stream);
        var link = orleansDashboardPath is null
            ? ""
            : $"<a href=\"{HtmlEncoder.Default.Encode(orleansDashboardPath.TrimEnd('/') + "/")}\" data-testid=\"orleans-dashboard-link\">Orleans dashboard</a>";
        return System.Text.Encoding.UTF8.GetBytes(reader.ReadToEnd().Replace(OrleansDashboardPlaceholder, link, StringComparison.Ordinal));
    }
}
