using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>The page at <c>/</c>: one self-contained HTML file (inline CSS and script, no external resources, so it
/// works on a machine without internet), embedded in the assembly and read once.</summary>
public sealed class DashboardPage(IOptions<DashboardOptions> options)
{
    private const string ResourceName = "OrleansQueue.Silo.Dashboard.index.html";
    private const string OrleansDashboardPlaceholder = "{{ORLEANS_DASHBOARD_PATH}}";

    private readonly Lazy<byte[]> _html = new(() => Load(options.Value.OrleansDashboardPath));

    public IResult Serve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The page is small and changes with each build: always revalidate rather than show a stale script.
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(_html.Value, "text/html; charset=utf-8");
    }

    private static byte[] Load(string orleansDashboardPath)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The dashboard page is not embedded as '{ResourceName}'; see Silo.csproj.");
        using var reader = new StreamReader(stream);
        var link = HtmlEncoder.Default.Encode(orleansDashboardPath.TrimEnd('/') + "/");
        return System.Text.Encoding.UTF8.GetBytes(reader.ReadToEnd().Replace(OrleansDashboardPlaceholder, link, StringComparison.Ordinal));
    }
}
