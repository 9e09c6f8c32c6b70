namespace OrleansQueue.Jobs;

/// <summary>A submission or command was refused because a value is out of range or malformed.
/// Nothing was stored or changed.</summary>
[GenerateSerializer, Alias("oq.InvalidJobException")]
public sealed class InvalidJobException : Exception
{
    public InvalidJobException() { }

    public InvalidJobException(string message) : base(message) { }

    public InvalidJobException(string message, Exception innerException) : base(message, innerException) { }
}
