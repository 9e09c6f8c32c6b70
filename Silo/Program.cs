using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansQueue.Hosting;
using OrleansQueue.Silo.Hosting;

// A localhost silo with in-memory grain storage and in-memory reminders.
var switches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
{
    ["--silo-port"] = "Silo:SiloPort",
    ["--gateway-port"] = "Silo:GatewayPort",
    ["--cluster-id"] = "Silo:ClusterId",
    ["--service-id"] = "Silo:ServiceId",
    ["--primary-silo-port"] = "Silo:PrimarySiloPort",
};

if (SiloCommandLine.Check(args, switches) is { } usageError)
{
    await Console.Error.WriteLineAsync($"error: {usageError}");
    await Console.Error.WriteLineAsync(SiloCommandLine.Usage);
    return 2;
}

if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(SiloCommandLine.Usage);
    return 0;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, switches);
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});

builder.Services.AddOptions<SiloHostOptions>()
    .BindConfiguration(SiloHostOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();

SiloHostOptions siloOptions;
try
{
    siloOptions = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new();
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}");
    return 2;
}

builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(
        siloOptions.SiloPort,
        siloOptions.GatewayPort,
        primarySiloEndpoint: siloOptions.PrimarySiloPort is { } primary && primary != siloOptions.SiloPort
            ? new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, primary)
            : null,
        serviceId: siloOptions.ServiceId,
        clusterId: siloOptions.ClusterId);
    silo.UseInMemoryReminderService();
    // Orleans refuses reminder periods under a minute unless told otherwise; follow the queue's configured period.
    var reminderPeriod = builder.Configuration.GetValue<TimeSpan?>("Queue:ReminderPeriod");
    if (reminderPeriod is { } period && period < TimeSpan.FromMinutes(1))
    {
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = period);
    }
    silo.AddOrleansQueue();
});

// Make SIGINT a graceful stop even when a script started the silo in the background.
InheritedSignals.RestoreInterrupt();
using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansQueue.Silo");
try
{
    await host.StartAsync();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join(" ", ex.Failures)}");
    return 2;
}
catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException || ex.InnerException is System.Net.Sockets.SocketException)
{
    await Console.Error.WriteLineAsync($"error: the silo could not listen on silo port {siloOptions.SiloPort} / gateway port {siloOptions.GatewayPort}: {ex.Message}");
    return 3;
}

var queue = host.Services.GetRequiredService<IOptions<QueueOptions>>().Value;
SiloLog.Ready(logger, siloOptions.SiloPort, siloOptions.GatewayPort, siloOptions.ClusterId, queue.Shards);
await host.WaitForShutdownAsync();
return 0;
