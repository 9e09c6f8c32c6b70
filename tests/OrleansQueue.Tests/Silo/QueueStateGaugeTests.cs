using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansQueue.Silo.Dashboard;
using OrleansQueue.Silo.Diagnostics;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Tests.Silo;

public sealed class QueueStateGaugeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(8080)]
    public void TheQueueStateGauges_ArePublished_WhetherOrNotTheDashboardIsOn(int dashboardPort)
    {
        // Arrange: the silo's services as its Program wires them; built, not started.
        var builder = WebApplication.CreateBuilder();
        var silo = new SiloHostOptions { DashboardPort = dashboardPort };
        builder.UseQueueSilo(silo);
        builder.AddQueueDashboard(silo);
        using var app = builder.Build();
        var published = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == "OrleansQueue")
            {
                published.Add(instrument.Name);
            }
        };
        listener.Start();

        // Act
        app.Services.GetRequiredService<QueueStateGauges>();

        // Assert
        Assert.Contains("orleansqueue.jobs.pending", published);
        Assert.Contains("orleansqueue.workers.alive", published);
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is QueueStateRefresher);
    }
}
