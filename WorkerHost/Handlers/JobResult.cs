using System.Text;

namespace OrleansQueue.Worker.Handlers;

/// <summary>How a handler's attempt ended: a success with optional result bytes, or a failure with a message.</summary>
public sealed class JobResult
{
    private JobResult(bool succeeded, byte[]? result, string? error)
    {
        Succeeded = succeeded;
        Result = result;
        Error = error;
    }

    public bool Succeeded { get; }

    /// <summary>The result stored on the job (success only); null stores none.</summary>
    public byte[]? Result { get; }

    /// <summary>Why the attempt failed (failure only).</summary>
    public string? Error { get; }

    public static JobResult Success() => new(true, null, null);

    public static JobResult Success(byte[]? result) => new(true, result, null);

    /// <summary>A success whose result is <paramref name="text"/> in UTF-8.</summary>
    public static JobResult Success(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(true, Encoding.UTF8.GetBytes(text), null);
    }

    public static JobResult Failure(string error) =>
        new(false, null, string.IsNullOrWhiteSpace(error) ? "the handler failed without a message" : error);

    public override string ToString() => Succeeded ? $"success ({Result?.Length ?? 0} bytes)" : $"failure: {Error}";
}
