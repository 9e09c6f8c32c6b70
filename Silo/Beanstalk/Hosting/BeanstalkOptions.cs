using System.ComponentModel.DataAnnotations;
using System.Net;

namespace OrleansQueue.Silo.Beanstalk.Hosting;

/// <summary>The beanstalkd-protocol gateway, bound from the <c>Beanstalk</c> section (or <c>--beanstalk-port</c>,
/// <c>--beanstalk-bind</c>). Validated once, at start-up, with the silo's other options.</summary>
public sealed class BeanstalkOptions : IValidatableObject
{
    public const string SectionName = "Beanstalk";

    /// <summary>The TCP port beanstalkd clients connect to. Default 11300, beanstalkd's own, so a client needs no
    /// setting; 0 turns the gateway off. A taken port stops the silo with exit code 3, like its other ports.</summary>
    [Range(0, 65535, ErrorMessage = "--beanstalk-port (Beanstalk:Port) must be a port from 1 to 65535, or 0 for no gateway.")]
    public int Port { get; set; } = 11300;

    /// <summary>The address the gateway listens on. Default 127.0.0.1: the protocol has no authentication, so it is
    /// offered beyond the machine only when asked for (<c>--beanstalk-bind 0.0.0.0</c>).</summary>
    [Required]
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>The largest job body a <c>put</c> may carry, in bytes; a larger one is answered <c>JOB_TOO_BIG</c>
    /// (its body is read and dropped). Default 65,535, beanstalkd's default (<c>-z</c>).</summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxJobSize { get; set; } = 65_535;

    /// <summary>The most connections served at once; a connection over it is closed at once. Default 10,000: one
    /// connection costs a few kilobytes of buffers while it is idle, so the cap bounds the memory thousands of idle or
    /// hostile clients can take, far above what real producers and workers open.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>How long a connection may take to finish a command it has begun (a command line without its CRLF, a
    /// <c>put</c> without all of its body) before it is closed. Default 30 s: a client that sends half a command and
    /// stalls must not hold a connection and its buffers for ever, while a slow link still gets a generous time. A
    /// connection idle between commands is never closed (clients keep theirs open).</summary>
    public TimeSpan StalledCommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When the silo stops, how long the open connections may go on in drain mode (a <c>put</c> is answered
    /// <c>DRAINING</c>; reserving and deleting the jobs there go on) before they are ended. Default 5 s: a worker gets
    /// to finish and delete what it holds, while a client that never closes delays the stop by no more. Zero ends them
    /// at once.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => Port != 0;

    /// <summary>The parsed <see cref="Bind"/>; valid once the options were validated. A method, not a property: the
    /// validator reads every property, and this one cannot be read before <see cref="Bind"/> was checked.</summary>
    public IPAddress GetBindAddress() => IPAddress.Parse(Bind);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Bind, out _))
        {
            yield return new ValidationResult(
                $"Beanstalk:Bind '{Bind}' is not an IP address: give one such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).",
                [nameof(Bind)]);
        }

        if (StalledCommandTimeout < TimeSpan.FromSeconds(1) || StalledCommandTimeout > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult(
                $"Beanstalk:StalledCommandTimeout must be between 00:00:01 and 01:00:00, got {StalledCommandTimeout}.",
                [nameof(StalledCommandTimeout)]);
        }

        if (DrainTimeout < TimeSpan.Zero || DrainTimeout > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult(
                $"Beanstalk:DrainTimeout must be between 00:00:00 and 00:10:00, got {DrainTimeout}.",
                [nameof(DrainTimeout)]);
        }
    }
}
