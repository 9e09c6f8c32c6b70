using OrleansQueue.Hosting;
using OrleansQueue.Silo.Dashboard;
using OrleansQueue.Silo.Hosting;

// A localhost silo (in-memory grain storage and reminders) hosted in ASP.NET Core, with its dashboard, JSON API and
// Prometheus endpoint on 127.0.0.1:--dashboard-port.
if (SiloCommandLine.Check(args) is { } usageError)
{
    await Console.Error.WriteLineAsync($"error: {usageError}");
    await Console.Error.WriteLineAsync(SiloCommandLine.Usage);
    return SiloExitCodes.BadConfiguration;
}

if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(SiloCommandLine.Usage);
    return SiloExitCodes.Ok;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, SiloCommandLine.Switches);
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});

if (!SiloHostOptionsReader.TryRead(builder.Configuration, out var siloOptions, out var configurationError))
{
    await Console.Error.WriteLineAsync($"error: {configurationError}");
    return SiloExitCodes.BadConfiguration;
}

builder.UseQueueSilo(siloOptions);
builder.AddQueueDashboard(siloOptions);

// Make SIGINT a graceful stop even when a script started the silo in the background.
InheritedSignals.RestoreInterrupt();
await using var app = builder.Build();
return await SiloStart.RunAsync(app, siloOptions);
