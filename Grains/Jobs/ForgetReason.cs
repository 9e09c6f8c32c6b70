namespace OrleansQueue.Jobs;

/// <summary>Why a finished job was forgotten (the <c>reason</c> of <c>orleansqueue.jobs.forgotten</c>).</summary>
public enum ForgetReason
{
    /// <summary>Its <see cref="Hosting.QueueOptions.FinishedJobRetention"/> had passed.</summary>
    Retention,

    /// <summary>Its silo held more finished jobs than <see cref="Hosting.QueueOptions.FinishedJobLimit"/>, and it was of
    /// the oldest.</summary>
    Limit,
}
