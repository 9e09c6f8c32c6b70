using System.Net;
using Xunit.Abstractions;

namespace OrleansQueue.BrowserTests;

/// <summary>Orleans' own dashboard under <c>/orleans</c>, served with <c>--orleans-dashboard</c> only: bad paths are the
/// client's mistake (4xx), and the live log stream is off unless <c>Dashboard:OrleansTrace</c> turns it on.</summary>
public sealed class OrleansDashboardTests(ITestOutputHelper output)
{
    /// <summary>A word, an address no silo has, and no address at all.</summary>
    private static readonly string[] BadSiloPaths =
    [
        "orleans/SiloProperties/x", "orleans/SiloCounters/x", "orleans/HistoricalStats/x", "orleans/SiloStats/x",
        "orleans/SiloMetadata/x", "orleans/SiloProperties/127.0.0.1:1@1", "orleans/HistoricalStats/",
    ];

    [Fact]
    public Task SiloPaths_WithAnAddressNoSiloHas_Answer4xx_AndTheTraceIsOff() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Act
        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (var path in BadSiloPaths)
        {
            answers[path] = (await silo.Http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode;
        }

        var trace = await silo.Http.GetAsync(new Uri("orleans/Trace", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var clusterStats = await silo.Http.GetAsync(new Uri("orleans/DashboardCounters", UriKind.Relative));

        // Assert
        Assert.All(answers, a => Assert.True((int)a.Value is >= 400 and < 500, $"{a.Key} answered {(int)a.Value}"));
        Assert.Equal(HttpStatusCode.Forbidden, trace.StatusCode);
        Assert.Equal(HttpStatusCode.OK, clusterStats.StatusCode);
        Assert.DoesNotContain("Exception", silo.Cluster.Silo.StandardOutputText + silo.Cluster.Silo.StandardErrorText, StringComparison.Ordinal);
    }, "--orleans-dashboard");

    [Fact]
    public Task TheTrace_StreamsTheLog_WhenTheSettingAsksForIt() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Act: the stream never ends by itself; its headers are enough.
        using var trace = await silo.Http.GetAsync(new Uri("orleans/Trace", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

        // Assert
        Assert.Equal(HttpStatusCode.OK, trace.StatusCode);
    }, "--orleans-dashboard", "--Dashboard:OrleansTrace=true");

    [Fact]
    public Task WithoutTheSwitch_ItIsNotServed_NorLinked() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Act
        var orleans = await silo.Http.GetAsync(new Uri("orleans/", UriKind.Relative));
        var page = await (await silo.Http.GetAsync(new Uri("/", UriKind.Relative))).Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, orleans.StatusCode);
        Assert.DoesNotContain("orleans-dashboard-link", page, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"prometheus-link\"", page, StringComparison.Ordinal);
    });

    [Fact]
    public Task WithTheSwitch_ThePageLinksToIt() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Act
        var orleans = await silo.Http.GetAsync(new Uri("orleans/", UriKind.Relative));
        var page = await (await silo.Http.GetAsync(new Uri("/", UriKind.Relative))).Content.ReadAsStringAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, orleans.StatusCode);
        Assert.Contains("<a href=\"/orleans/\" data-testid=\"orleans-dashboard-link\">Orleans dashboard</a>", page, StringComparison.Ordinal);
    }, "--orleans-dashboard");
}
