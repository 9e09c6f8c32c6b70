using System.Net;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Security;
using OrleansQueue.Worker.Hosting;
using OrleansQueue.Worker.Running;

// A worker: an Orleans client that leases jobs from the schedule shards and runs them with the registered handlers.
var commandLine = WorkerCommandLine.Create();
var arguments = commandLine.Parse(args);
if (commandLine.Report(arguments, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(arguments.Settings);
builder.Logging.AddWorkerConsole();

// Until the client is connected, the one "cannot reach the silo" line says it all.
var quietStart = new QuietStart(builder.Logging, builder.Configuration);

// The Orleans client needs the gateway when the host is built; every value is validated once, when the host starts,
// before the client connects (WorkerOptionsValidator).
if (!InvalidConfiguration.TryBind<WorkerOptions>(builder.Configuration, WorkerOptions.SectionName, Console.Error, out var options))
{
    return ExitCodes.Usage;
}

if (!TlsHosting.TryLoad(builder.Configuration, server: false, Console.Error, out var tls))
{
    return ExitCodes.Usage;
}

// An unusable gateway or Redis never connects: the validator refuses it first (RedisConnection.TryParse refuses a host
// that is no host name, such as 'not a redis,,=').
var cluster = ClusterEndpoints.TryParse(options.Gateway, options.Redis, out var parsed, out _)
    ? parsed
    : ClusterEndpoints.OfGateways(new IPEndPoint(IPAddress.Loopback, 1));

// The client first: hosted services stop in reverse order, so it is still connected while the worker hands back.
builder.UseOrleansClient(client => client.UseOrleansQueueCluster(cluster, options.ConnectTimeout, options.ClusterId, options.ServiceId, options.ResponseTimeout, tls));
builder.Services.AddOrleansQueueWorker();
builder.Services.AddTlsSettingsValidation();

using var host = builder.Build();
InheritedSignals.RestoreInterrupt();
try
{
    await host.StartAsync();
}
catch (Exception ex) when (InvalidConfiguration.Describe(ex) is { } message)
{
    await Console.Error.WriteLineAsync($"error: {message}");
    return ExitCodes.Usage;
}
catch (Exception ex) when (ex is OrleansException || TransientErrors.IsTransient(ex) || RedisConnection.IsRedisError(ex))
{
    // A gateway that answered but refused this worker (cluster id, TLS) says so with its own exit code; a Redis that
    // cannot be reached or refused the worker (password) with the cluster unreachable's, and Redis' reason.
    if (await host.Services.GetRequiredService<ConnectDiagnosis>().ExplainAsync(ex) is { } refusal)
    {
        await Console.Error.WriteLineAsync($"error: {refusal.Message}");
        return refusal.ExitCode;
    }

    await Console.Error.WriteLineAsync($"error: cannot reach {cluster.Description} ({ex.GetType().Name}: {ex.Message})");
    return ExitCodes.SiloUnreachable;
}

quietStart.Started();
await host.WaitForShutdownAsync();
var worker = host.Services.GetRequiredService<WorkerService>();
if (worker.Refusal is { } misfit)
{
    await Console.Error.WriteLineAsync($"error: invalid configuration: {misfit}");
    return ExitCodes.Usage;
}

return worker.ExecuteTask is { IsFaulted: true } ? ExitCodes.Refused : ExitCodes.Success;
