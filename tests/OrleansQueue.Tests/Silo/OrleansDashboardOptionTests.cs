using System.ComponentModel.DataAnnotations;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Tests.Silo;

public sealed class OrleansDashboardOptionTests
{
    private static List<string> Errors(SiloHostOptions options) =>
        [.. options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? "")];

    [Fact]
    public void OrleansDashboard_WithTheWebSideOff_IsRefused_NamingTheFix()
    {
        Assert.Contains(Errors(new SiloHostOptions { OrleansDashboard = true, DashboardPort = 0 }),
            e => e.StartsWith("--orleans-dashboard is served by the web side, which --dashboard-port 0 turns off", StringComparison.Ordinal));
        Assert.Empty(Errors(new SiloHostOptions { OrleansDashboard = true }));
        Assert.Empty(Errors(new SiloHostOptions { DashboardPort = 0 }));
    }
}
