namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>A scenario failed; the message carries the original failure and the processes' output.</summary>
public sealed class EndToEndFailureException : Exception
{
    public EndToEndFailureException() { }

    public EndToEndFailureException(string message) : base(message) { }

    public EndToEndFailureException(string message, Exception innerException) : base(message, innerException) { }
}
