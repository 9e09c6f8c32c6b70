using System.ComponentModel.DataAnnotations;
using System.Net;
using OrleansQueue.Hosting;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Tests.Silo;

public sealed class SiloHostOptionsTests
{
    private static List<string> Errors(SiloHostOptions options) =>
        [.. options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? "")];

    [Theory]
    [InlineData(QueueStorageKind.Local, null, "10.0.0.5", "--advertise (Silo:Advertise) needs --storage redis")]
    [InlineData(QueueStorageKind.Redis, "127.0.0.1:6379", "silo-1", "--advertise: 'silo-1' is not an IP address")]
    [InlineData(QueueStorageKind.Redis, "127.0.0.1:6379", "0.0.0.0", "--advertise: '0.0.0.0' is not an IP address")]
    public void AnAddressTheSiloCannotBeReachedAt_IsRefused_NamingTheFix(QueueStorageKind storage, string? redis, string advertise, string expected)
    {
        var options = new SiloHostOptions { Storage = storage, Redis = redis, Advertise = advertise };

        Assert.Contains(Errors(options), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "127.0.0.1")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("fd00::5", "fd00::5")]
    public void ARedisSilo_ListensWhereItAdvertises_AndOnLoopbackByDefault(string? advertise, string listens)
    {
        var options = new SiloHostOptions { Storage = QueueStorageKind.Redis, Redis = "127.0.0.1:6379", Advertise = advertise };

        Assert.Empty(Errors(options));
        Assert.Equal(IPAddress.Parse(listens), options.ListenAddress);
    }

    [Fact]
    public void OrleansDashboard_WithTheWebSideOff_IsRefused_NamingTheFix()
    {
        Assert.Contains(Errors(new SiloHostOptions { OrleansDashboard = true, DashboardPort = 0 }),
            e => e.StartsWith("--orleans-dashboard is served by the web side, which --dashboard-port 0 turns off", StringComparison.Ordinal));
        Assert.Empty(Errors(new SiloHostOptions { OrleansDashboard = true }));
        Assert.Empty(Errors(new SiloHostOptions { DashboardPort = 0 }));
    }
}
