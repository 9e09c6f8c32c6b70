using Microsoft.Extensions.Options;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Worker.Hosting;
using OrleansQueue.Worker.Running;

// A worker: an Orleans client that leases jobs from the schedule shards and runs them with the registered handlers.
var commandLine = WorkerCommandLine.Parse(args);
if (commandLine.Error is { } usageError)
{
    await Console.Error.WriteLineAsync($"error: {usageError}");
    await Console.Error.WriteLineAsync(WorkerCommandLine.Usage);
    return 2;
}

if (commandLine.Help)
{
    Console.WriteLine(WorkerCommandLine.Usage);
    return 0;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(commandLine.Settings);
builder.Logging.AddWorkerConsole();

// Until the client is connected, the one "cannot reach the silo" line says it all: Orleans' warning for each failed
// attempt and the host's start failure would only repeat it with stack traces.
// These rules replace the configured levels of their categories, so they apply those levels themselves.
var connecting = true;
foreach (var category in new[] { "Orleans", "Microsoft.Extensions.Hosting" })
{
    var configured = builder.Configuration.GetValue<LogLevel?>($"Logging:LogLevel:{category}") ?? LogLevel.Warning;
    builder.Logging.AddFilter(category, level => level >= configured && !Volatile.Read(ref connecting));
}

// Read and checked before the host is built: the Orleans client needs the gateway, and a bad value is a usage error.
WorkerOptions options;
try
{
    options = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new();
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync($"error: invalid configuration: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}");
    await Console.Error.WriteLineAsync(WorkerCommandLine.Usage);
    return 2;
}

if (new WorkerOptionsValidator().Validate(null, options) is { Failed: true } invalid)
{
    await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join(" ", invalid.Failures ?? [])}");
    await Console.Error.WriteLineAsync(WorkerCommandLine.Usage);
    return 2;
}

if (!ClusterEndpoints.TryParse(options.Gateway, options.Redis, out var cluster, out var gatewayError))
{
    // Checked by the validator just above; only a name that stopped resolving since gets here.
    await Console.Error.WriteLineAsync($"error: {gatewayError}");
    return 2;
}

// The client first: hosted services stop in reverse order, so it is still connected while the worker hands back.
builder.UseOrleansClient(client => client.UseOrleansQueueCluster(cluster, options.ConnectTimeout, options.ClusterId, options.ServiceId, options.ResponseTimeout));
builder.Services.AddOrleansQueueWorker();

using var host = builder.Build();
InheritedSignals.RestoreInterrupt();
try
{
    await host.StartAsync();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"error: invalid configuration: {string.Join(" ", ex.Failures)}");
    return 2;
}
catch (Exception ex) when (ex is OrleansException || TransientErrors.IsTransient(ex))
{
    await Console.Error.WriteLineAsync($"error: cannot reach {cluster.Description} ({ex.GetType().Name}: {ex.Message})");
    return 4;
}

Volatile.Write(ref connecting, false);
await host.WaitForShutdownAsync();
return host.Services.GetRequiredService<WorkerService>().ExecuteTask is { IsFaulted: true } ? 1 : 0;
