using System.ComponentModel.DataAnnotations;
using System.Net;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Silo.Recovery;
using OrleansQueue.Text;

namespace OrleansQueue.Silo.Hosting;

/// <summary>
/// Redis mode (<c>--storage redis --redis host:port</c>): a cluster of any number of silos whose membership, reminders
/// and job and schedule state live in one Redis server, so the jobs outlive every silo and a killed silo's shards and
/// job grains come back on the survivors. Keys are scoped by the service id (<c>{ServiceId}/members/{ClusterId}</c>,
/// <c>{ServiceId}/state/…</c>): give each queue sharing a Redis its own <c>--service-id</c>.
/// </summary>
public static class RedisClusterHosting
{
    /// <summary>Configuration section bound to Orleans' <see cref="ClusterMembershipOptions"/> in Redis mode
    /// (<c>--Membership:ProbeTimeout=00:00:01</c>), over the defaults of <see cref="ConfigureFailureDetection"/>.</summary>
    public const string MembershipSectionName = "Membership";

    /// <summary>
    /// The schedule shards' reminder period in Redis mode unless <c>Queue:ReminderPeriod</c> says otherwise. Default 10 s
    /// (1 min in memory): a killed silo's reminders resume on a survivor up to one period late, and a shard with nobody
    /// calling it comes back through its reminder, so its deadline sweep runs again within this of the death being declared.
    /// </summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(10);

    /// <summary>Membership, reminders and the <see cref="QueueStorage.Name"/> grain storage in Redis; the silo listens on
    /// <see cref="SiloHostOptions.ListenAddress"/> (127.0.0.1 unless <c>--advertise</c> names another).</summary>
    public static ISiloBuilder UseRedisCluster(this ISiloBuilder silo, SiloHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Redis is not { } redis || !RedisConnection.TryParse(redis, out _, out _))
        {
            throw new ArgumentException("Redis mode needs a Redis address that parses (see Validate).", nameof(options));
        }

        // After the options are validated and before Orleans starts: an unreachable Redis is one line and exit 2.
        silo.Services.AddHostedService(_ => new RedisCheck(redis));

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = options.ListenAddress;
            o.SiloPort = SiloHostOptions.Buildable(options.SiloPort, SiloHostOptions.DefaultSiloPort);
            o.GatewayPort = SiloHostOptions.Buildable(options.GatewayPort, SiloHostOptions.DefaultGatewayPort);
        });

        // No primary silo: each silo finds the others in the membership table.
        silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(redis));
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(ConfigureFailureDetection)
            .BindConfiguration(MembershipSectionName);

        silo.UseRedisReminderService(o => o.ConfigurationOptions = RedisConnection.Options(redis));
        // Registered before AddOrleansQueue binds the Queue section, so a configured period still wins.
        silo.Services.Configure<QueueOptions>(o => o.ReminderPeriod = ReminderPeriod);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = Min(o.MinimumReminderPeriod, ReminderPeriod));

        // One hash per grain state, written by a Lua script that checks its ETag. Orleans' binary serializer instead of
        // the provider's default JSON: measured twice as fast here, and the state is written on every job transition.
        silo.AddRedisGrainStorage(QueueStorage.Name, builder => builder.Configure<Serializer>((o, serializer) =>
        {
            o.ConfigurationOptions = RedisConnection.Options(redis);
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // A discarded submit leaves no key behind.
            o.DeleteStateOnClear = true;
        }));

        silo.Services.AddOptions<StoredJobSweepOptions>()
            .BindConfiguration(StoredJobSweepOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        silo.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<StoredJobSweep>(sp, redis));
        return silo;
    }

    /// <summary>
    /// Failure detection of Redis mode, quicker than Orleans' defaults (probe timeout 5 s, table refresh 1 min): a silo
    /// killed with SIGKILL misses 3 probes of 2 s and 2 survivors vote it dead, so its grains come back elsewhere about
    /// 6–10 s after it died. Shorter probes declare a silo that only paused (a long GC, a saturated machine) dead,
    /// and it then restarts: keep 2 s or more in production.
    /// </summary>
    public static void ConfigureFailureDetection(ClusterMembershipOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.ProbeTimeout = TimeSpan.FromSeconds(2);
        o.NumMissedProbesLimit = 3;
        o.NumVotesForDeathDeclaration = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>The checks of <see cref="SiloHostOptions"/> that concern Redis mode.</summary>
    public static IEnumerable<ValidationResult> Validate(SiloHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var redisGiven = !string.IsNullOrWhiteSpace(options.Redis);
        if (options.Storage != QueueStorageKind.Redis)
        {
            if (redisGiven)
            {
                yield return new ValidationResult(
                    "--redis (Silo:Redis) is only used with --storage redis: add --storage redis, or drop --redis.", [nameof(options.Redis)]);
            }

            if (options.Advertise is not null)
            {
                yield return new ValidationResult(
                    "--advertise (Silo:Advertise) needs --storage redis: only a Redis cluster spans machines.", [nameof(options.Advertise)]);
            }

            yield break;
        }

        if (options.Advertise is { } advertise
            && (!IPAddress.TryParse(advertise, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            yield return new ValidationResult(
                $"--advertise: '{DisplayText.Echo(advertise)}' is not an IP address this silo can be reached at: give one of this machine's addresses, e.g. 10.0.0.5.",
                [nameof(options.Advertise)]);
        }

        if (!redisGiven)
        {
            yield return new ValidationResult(
                "--storage redis needs the Redis server: add --redis host:port (Silo:Redis), e.g. --redis 127.0.0.1:6379.", [nameof(options.Redis)]);
        }
        else if (!RedisConnection.TryParse(options.Redis, out _, out var error))
        {
            yield return new ValidationResult($"--redis: {error}.", [nameof(options.Redis)]);
        }

        if (options.PrimarySiloPort is not null)
        {
            yield return new ValidationResult(
                "A Redis cluster has no primary silo: drop --primary-silo-port, silos find each other in Redis.", [nameof(options.PrimarySiloPort)]);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
