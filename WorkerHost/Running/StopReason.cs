namespace OrleansQueue.Worker.Running;

/// <summary>Why the worker cancelled an attempt's token. The first reason wins; it decides what is reported.</summary>
internal enum StopReason
{
    None = 0,
    /// <summary>The attempt ran past its deadline: nothing is reported, the schedule takes the lease back.</summary>
    Deadline = 1,
    /// <summary>The schedule said the attempt is no longer ours (job cancelled, lease taken back or reassigned):
    /// nothing is reported.</summary>
    RemoteStop = 2,
    /// <summary>The graceful-stop grace ran out: the attempt is handed back and keeps its retries.</summary>
    Grace = 3,
}
