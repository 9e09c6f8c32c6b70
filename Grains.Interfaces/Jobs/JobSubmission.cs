namespace OrleansQueue.Jobs;

/// <summary>What a client asks for. Null fields take the silo's configured defaults
/// (see <c>QueueOptions</c>); every value is checked by the job grain before anything is stored.</summary>
/// <param name="Type">The job type, e.g. <c>TRANSCODE_VIDEO</c>; selects the worker's handler.</param>
/// <param name="Payload">Opaque bytes handed to the handler.</param>
/// <param name="Priority">0 (most important) to <see cref="MaxPriority"/>; the console offers 0 to 10.</param>
/// <param name="Retries">How many more attempts are allowed after a failed one.</param>
/// <param name="Deadline">The most time one attempt may run.</param>
/// <param name="RetryBackoff">Base of the exponential backoff before a retry; zero retries at once.</param>
/// <param name="Queue">The named queue (<see cref="OrleansQueue.Scheduling.QueueNames"/>); null is <c>default</c>.</param>
/// <param name="Delay">How long the job waits before it can be leased (beanstalkd's put delay); null or zero: at once.
/// Until then its <see cref="JobView.NotBefore"/> says when it is due.</param>
[GenerateSerializer, Immutable, Alias("oq.JobSubmission")]
public sealed record JobSubmission(
    [property: Id(0)] string Type,
    [property: Id(1)] byte[] Payload,
    [property: Id(2)] long? Priority = null,
    [property: Id(3)] int? Retries = null,
    [property: Id(4)] TimeSpan? Deadline = null,
    [property: Id(5)] TimeSpan? RetryBackoff = null,
    [property: Id(6)] string? Queue = null,
    [property: Id(7)] TimeSpan? Delay = null)
{
    /// <summary>The longest delay: beanstalkd's (2³² − 1 seconds).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(uint.MaxValue);

    /// <summary>The least urgent priority: beanstalkd's (2³² − 1). The console offers 0 to 10.</summary>
    public const long MaxPriority = uint.MaxValue;
}
