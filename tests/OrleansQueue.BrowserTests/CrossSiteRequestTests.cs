using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.BrowserTests;

/// <summary>What another web site can make the operator's browser do to the dashboard: nothing. A state-changing request
/// must be one a browser only sends after a preflight (a JSON content type or the <c>X-Requested-With</c> header), from
/// the dashboard's own origin; a request for a host the dashboard does not serve (DNS rebinding) is refused, GETs too.</summary>
public sealed class CrossSiteRequestTests(ITestOutputHelper output)
{
    [Fact]
    public Task CrossSiteAndRebindingRequests_AreRefused_AndTheJobIsNotCancelled() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Arrange
        var id = await silo.Cluster.SubmitAsync("REPORT", "{}", "--priority", "4");
        var cancel = new Uri($"api/jobs/{id}/cancel", UriKind.Relative);
        var ownOrigin = silo.BaseUri.GetLeftPart(UriPartial.Authority);

        // Act: what a form or a fetch from another site can send without a preflight...
        var crossSiteForm = await SendAsync(silo, HttpMethod.Post, cancel, ("Origin", "http://evil.example"), ("Host", "evil.example"));
        var crossSitePlain = await SendAsync(silo, HttpMethod.Post, cancel, ("Origin", "http://evil.example"));
        var simpleNoOrigin = await SendAsync(silo, HttpMethod.Post, cancel);
        // ...a preflighted request from another origin, and a read through a rebound name.
        var foreignOriginJson = await SendAsync(silo, HttpMethod.Post, cancel, ("Origin", "http://evil.example"), ("X-Requested-With", "fetch"));
        var rebound = await SendAsync(silo, HttpMethod.Get, new Uri("api/jobs", UriKind.Relative), ("Host", "rebind.attacker.example"));
        var reboundOwnPort = await SendAsync(silo, HttpMethod.Get, new Uri("api/metrics", UriKind.Relative), ("Host", $"rebind.attacker.example:{silo.BaseUri.Port}"));
        var otherPort = await SendAsync(silo, HttpMethod.Get, new Uri("/", UriKind.Relative), ("Host", $"127.0.0.1:{silo.BaseUri.Port + 1}"));
        var stillPending = await silo.Cluster.GetJobAsync(id);

        // Assert
        Assert.Equal(HttpStatusCode.MisdirectedRequest, crossSiteForm.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossSitePlain.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, simpleNoOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignOriginJson.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, rebound.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, reboundOwnPort.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, otherPort.StatusCode);
        Assert.Equal(Outcomes.Pending, stillPending.Status);
        var error = await crossSitePlain.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("X-Requested-With", error.GetProperty("error").GetString(), StringComparison.Ordinal);

        // The dashboard's own requests still work, under each loopback name.
        var sameOrigin = await SendAsync(silo, HttpMethod.Post, cancel, ("Origin", ownOrigin), ("X-Requested-With", "fetch"));
        var localhost = await SendAsync(silo, HttpMethod.Get, new Uri($"api/jobs/{id}", UriKind.Relative), ("Host", $"localhost:{silo.BaseUri.Port}"));
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, localhost.StatusCode);
        Assert.Equal(Outcomes.Cancelled, (await silo.Cluster.GetJobAsync(id)).Status);
    });

    [Fact]
    public Task AJsonPost_WithoutAnOrigin_IsAccepted_AsScriptsSendIt() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Arrange
        var id = await silo.Cluster.SubmitAsync("REPORT", "{}", "--priority", "4");

        // Act: curl -X POST -H 'Content-Type: application/json'
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        var response = await silo.Http.PostAsync(new Uri($"api/jobs/{id}/cancel", UriKind.Relative), json);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Outcomes.Cancelled, (await silo.Cluster.GetJobAsync(id)).Status);
    });

    private static async Task<HttpResponseMessage> SendAsync(DashboardSilo silo, HttpMethod method, Uri path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            // What an HTML form or a no-cors fetch sends: a "simple" content type.
            request.Content = new StringContent("", Encoding.UTF8, "text/plain");
        }

        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await silo.Http.SendAsync(request);
    }
}
