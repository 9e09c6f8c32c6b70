using OrleansQueue.Hosting;
using OrleansQueue.Silo.Beanstalk.Hosting;
using OrleansQueue.Security;
using OrleansQueue.Silo.Dashboard;
using OrleansQueue.Silo.Hosting;

// A localhost silo (in-memory grain storage and reminders) hosted in ASP.NET Core, with its dashboard, JSON API and
// Prometheus endpoint on 127.0.0.1:--dashboard-port.
var commandLine = SiloCommandLine.Create();
var arguments = commandLine.Parse(args);
if (commandLine.Report(arguments, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(arguments.Settings);
if (string.IsNullOrEmpty(builder.Configuration[$"{SiloHostOptions.SectionName}:{nameof(SiloHostOptions.ApiKey)}"])
    && Environment.GetEnvironmentVariable(SiloHostOptions.ApiKeyVariable) is { Length: > 0 } apiKey)
{
    builder.Configuration.AddInMemoryCollection([new($"{SiloHostOptions.SectionName}:{nameof(SiloHostOptions.ApiKey)}", apiKey)]);
}

builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
var quietStart = new QuietStart(builder.Logging, builder.Configuration);

// The host's shape (its ports, its storage, whether the web side is on) is read here; every value is validated once,
// with the other options, when the host starts (SiloStart).
if (!InvalidConfiguration.TryBind<SiloHostOptions>(builder.Configuration, SiloHostOptions.SectionName, Console.Error, out var siloOptions))
{
    return ExitCodes.Usage;
}

// Orleans takes the certificate while the host is built: a file that cannot be used is one line and exit 2 here.
if (!TlsHosting.TryLoad(builder.Configuration, server: true, Console.Error, out var tls))
{
    return ExitCodes.Usage;
}

builder.UseQueueSilo(siloOptions, tls);
builder.AddQueueDashboard(siloOptions, tls);
builder.AddBeanstalkGateway();

// Make SIGINT a graceful stop even when a script started the silo in the background.
InheritedSignals.RestoreInterrupt();
await using var app = builder.Build();
return await SiloStart.RunAsync(app, siloOptions, tls, quietStart);
