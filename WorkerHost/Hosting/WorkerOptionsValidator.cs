using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OrleansQueue.Client;
using OrleansQueue.Scheduling;
using OrleansQueue.Text;

namespace OrleansQueue.Worker.Hosting;

/// <summary>Checks <see cref="WorkerOptions"/> once at start. Messages name both the configuration key and the
/// switch, since either may have set the value.</summary>
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public const int MaxConcurrency = 1024;
    public const int MaxNameLength = 128;

    /// <summary>The silo's default <c>Queue:MaxLeaseWait</c>: a longer wait would be refused by every shard.</summary>
    public static readonly TimeSpan MaxLeaseWait = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan MaxGrace = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxHeartbeatInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MinResponseTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxResponseTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A lease call answers when its wait is over; this much time is left for the answer to arrive.</summary>
    public static readonly TimeSpan LeaseWaitMargin = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            errors.Add("Worker:Name (--name) is empty.");
        }
        else if (options.Name.Length > MaxNameLength)
        {
            errors.Add($"Worker:Name (--name) '{DisplayText.Echo(options.Name)}' is {options.Name.Length} characters long: the limit is {MaxNameLength}.");
        }
        else if (options.Name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"Worker:Name (--name) '{DisplayText.Echo(options.Name)}' holds white space or control characters: give a name without them.");
        }

        if (options.Queues.Count > IScheduleGrain.MaxLeaseQueues)
        {
            errors.Add($"Worker:Queues (--queue) names {options.Queues.Count} queues; the limit is {IScheduleGrain.MaxLeaseQueues}.");
        }

        errors.AddRange(options.Queues.Where(q => !QueueNames.IsValid(q)).Select(q => $"Worker:Queues (--queue): {QueueNames.Malformed(q)}"));

        if (options.Concurrency is < 1 or > MaxConcurrency)
        {
            errors.Add($"Worker:Concurrency (--concurrency) is {options.Concurrency}: it must be from 1 to {MaxConcurrency}.");
        }

        if (options.Prefetch is < 0 or > MaxConcurrency)
        {
            errors.Add($"Worker:Prefetch (--prefetch) is {options.Prefetch}: it must be from 0 to {MaxConcurrency}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            if (!RedisConnection.TryParse(options.Redis, out _, out var redisError))
            {
                errors.Add($"Worker:Redis (--redis): {redisError}.");
            }
        }
        else if (!GatewayEndpoint.TryParseList(options.Gateway, out _, out var gatewayError))
        {
            errors.Add($"Worker:Gateway (--gateway): {gatewayError}.");
        }

        if (string.IsNullOrEmpty(options.ClusterId) || !IdPattern().IsMatch(options.ClusterId))
        {
            errors.Add($"Worker:ClusterId (--cluster-id) '{DisplayText.Echo(options.ClusterId)}' may only hold letters, digits, '.', '_' and '-'.");
        }

        if (string.IsNullOrEmpty(options.ServiceId) || !IdPattern().IsMatch(options.ServiceId))
        {
            errors.Add($"Worker:ServiceId (--service-id) '{DisplayText.Echo(options.ServiceId)}' may only hold letters, digits, '.', '_' and '-'.");
        }

        if (options.Grace < TimeSpan.Zero || options.Grace > MaxGrace)
        {
            errors.Add($"Worker:Grace (--grace) is {Seconds(options.Grace)} s: it must be from 0 to {Seconds(MaxGrace)} s.");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero || options.HeartbeatInterval > MaxHeartbeatInterval)
        {
            errors.Add($"Worker:HeartbeatInterval (--heartbeat) is {Seconds(options.HeartbeatInterval)} s: it must be above 0 and at most {Seconds(MaxHeartbeatInterval)} s.");
        }

        if (options.LeaseWait < TimeSpan.Zero || options.LeaseWait >= MaxLeaseWait)
        {
            errors.Add($"Worker:LeaseWait (--lease-wait) is {Seconds(options.LeaseWait)} s: it must be from 0 to under {Seconds(MaxLeaseWait)} s.");
        }

        if (options.ResponseTimeout < MinResponseTimeout || options.ResponseTimeout > MaxResponseTimeout)
        {
            errors.Add($"Worker:ResponseTimeout (--response-timeout) is {Seconds(options.ResponseTimeout)} s: it must be from {Seconds(MinResponseTimeout)} to {Seconds(MaxResponseTimeout)} s.");
        }
        else if (options.LeaseWait >= TimeSpan.Zero && options.LeaseWait < MaxLeaseWait && options.LeaseWait > options.ResponseTimeout - LeaseWaitMargin)
        {
            errors.Add($"Worker:LeaseWait (--lease-wait) is {Seconds(options.LeaseWait)} s: it must stay {Seconds(LeaseWaitMargin)} s under Worker:ResponseTimeout (--response-timeout, {Seconds(options.ResponseTimeout)} s), or every idle lease call would time out.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > MaxConnectTimeout)
        {
            errors.Add($"Worker:ConnectTimeout (--connect-timeout) is {Seconds(options.ConnectTimeout)} s: it must be above 0 and at most {Seconds(MaxConnectTimeout)} s.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Seconds as the worker's messages write them.</summary>
    public static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex IdPattern();
}
