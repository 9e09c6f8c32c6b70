using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using OrleansQueue.Hosting;
using OrleansQueue.Silo.Diagnostics;
using OrleansQueue.Silo.Hosting;
using OrleansQueue.Diagnostics;
using OrleansQueue.Security;
using DashboardOptions = OrleansQueue.Silo.Dashboard.DashboardOptions;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>
/// The silo's web side on one port: the page and its JSON API (<see cref="DashboardEndpoints"/>), Orleans' own
/// dashboard when asked for (<see cref="SiloHostOptions.OrleansDashboard"/>) and the Prometheus scrape endpoint <c>/metrics</c>, which renders the <c>OrleansQueue</c> meter (the
/// grains' counters and histograms, and the queue-state gauges of <see cref="QueueStateGauges"/>) and the runtime's
/// <c>System.Runtime</c> meter (GC, memory, thread pool) with <see cref="PrometheusTextExporter"/>.
/// </summary>
public static class DashboardHosting
{
    /// <summary>The web side's services; with <paramref name="tls"/> it speaks HTTPS with the silo's certificate.</summary>
    public static WebApplicationBuilder AddQueueDashboard(this WebApplicationBuilder builder, SiloHostOptions silo, TlsCredentials? tls = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(silo);
        var services = builder.Services;
        // Always: the gauges' refresh interval is one of these options, and the gauges run without the web side too.
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.AddKnownKeysValidation<DashboardOptions>(DashboardOptions.SectionName);
        services.AddQueueStateGauges();
        if (!silo.DashboardEnabled)
        {
            services.AddSingleton<IServer, NoWebServer>();
            return builder;
        }

        // --dashboard-bind only (loopback by default, beyond it only with an API key: SiloHostOptions), whatever
        // ASPNETCORE_URLS or --urls say: the API cancels and requeues jobs.
        var https = tls?.Certificate;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(silo.DashboardAddress, SiloHostOptions.Buildable(silo.DashboardPort, SiloHostOptions.DefaultDashboardPort), listen =>
        {
            if (https is not null)
            {
                listen.UseHttps(https);
            }
        }));
        services.TryAddSingleton<DashboardPage>();
        services.TryAddSingleton(sp => new DashboardHosts(silo, https is not null, sp.GetRequiredService<IOptions<DashboardOptions>>()));
        services.TryAddSingleton<ApiKeyCheck>();
        services.TryAddSingleton<DashboardRequestGuard>();
        services.TryAddSingleton<SiloAddressFilter>();
        // Orleans' live log stream is off unless Dashboard:OrleansTrace asks for it.
        services.AddOptions<Orleans.Dashboard.DashboardOptions>()
            .Configure<IOptions<DashboardOptions>>((orleans, ours) => orleans.HideTrace = !ours.Value.OrleansTrace);
        services.TryAddSingleton(_ => new PrometheusTextExporter([QueueInstruments.MeterName, "System.Runtime"]));
        return builder;
    }

    /// <summary>Maps the web side. Reads <see cref="DashboardOptions"/>, so it validates them: call it where an
    /// <see cref="OptionsValidationException"/> is reported as bad configuration.</summary>
    public static WebApplication MapQueueDashboard(this WebApplication app, SiloHostOptions silo)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(silo);
        if (!silo.DashboardEnabled)
        {
            return app;
        }

        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        app.UseMiddleware<DashboardRequestGuard>();
        app.MapDashboardEndpoints();
        if (silo.OrleansDashboard)
        {
            app.MapOrleansDashboard(routePrefix: options.OrleansDashboardPath.TrimEnd('/')).AddEndpointFilter<SiloAddressFilter>();
        }

        // Created now, not at the first scrape, so the counters count from the start.
        var exporter = app.Services.GetRequiredService<PrometheusTextExporter>();
        app.MapGet("/metrics", () => Results.Text(exporter.Collect(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }
}
