using OrleansQueue.Client;

namespace OrleansQueue.Silo.Hosting;

/// <summary>
/// Redis mode: after the options were validated and before Orleans starts, checks that Redis answers. Orleans' Redis
/// providers would otherwise fail the start with a stack trace, or keep retrying. Throws
/// <see cref="RedisUnreachableException"/>, which the start turns into one line and exit code 2.
/// </summary>
internal sealed class RedisCheck(string redis) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (await RedisConnection.WhyUnreachableAsync(redis, RedisConnection.DefaultProbeTimeout) is { } why)
        {
            throw new RedisUnreachableException(
                $"error: cannot reach Redis at {RedisConnection.Redacted(redis)} within {RedisConnection.DefaultProbeTimeout.TotalSeconds:0} s: {why} " +
                "Start it (e.g. redis-server --port 6379 --appendonly yes) or point --redis at it, with its password if it asks for one (host:port,password=…).");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Redis does not answer; the message is the one line the user sees.</summary>
internal sealed class RedisUnreachableException(string message) : Exception(message);
