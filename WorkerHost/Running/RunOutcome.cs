namespace OrleansQueue.Worker.Running;

/// <summary>How the worker ended an attempt.</summary>
internal enum RunOutcome
{
    /// <summary>The handler's result was reported (complete or fail), whatever the job grain answered.</summary>
    Reported = 0,
    /// <summary>The attempt was handed back unfinished.</summary>
    HandedBack = 1,
    /// <summary>Stopped by its deadline or by the schedule: nothing reported.</summary>
    Abandoned = 2,
}
