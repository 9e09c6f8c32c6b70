namespace OrleansQueue.Jobs;

/// <summary>A submit the silo could not store or queue (its storage or a grain did not answer): nothing was kept, and
/// sending it again is safe. Not a refusal of the job: <see cref="InvalidJobException"/> is that.</summary>
public sealed class JobNotKeptException : Exception
{
    public JobNotKeptException() { }

    public JobNotKeptException(string message) : base(message) { }

    public JobNotKeptException(string message, Exception innerException) : base(message, innerException) { }
}
