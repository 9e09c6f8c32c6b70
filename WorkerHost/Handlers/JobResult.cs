using System.Text;

namespace OrleansQueue.Worker.Handlers;

/// <summary>How a handler's attempt ended: a success with optional result bytes, a failure with a message, or the job
/// set aside (<see cref="JobContext.Bury"/>) with a reason.</summary>
public sealed class JobResult
{
    private JobResult(bool succeeded, byte[]? result, string? error, bool buried = false)
    {
        Succeeded = succeeded;
        Result = result;
        Error = error;
        IsBuried = buried;
    }

    public bool Succeeded { get; }

    /// <summary>The job is to be buried (status BURIED, no retry used) until an operator kicks it; <see cref="Error"/>
    /// is the reason.</summary>
    public bool IsBuried { get; }

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

    /// <summary>Sets the job aside until it is kicked (<c>kick QUEUE N</c>, <c>requeue ID</c>); see <see cref="JobContext.Bury"/>.</summary>
    public static JobResult Buried(string? reason) => new(false, null, string.IsNullOrWhiteSpace(reason) ? null : reason, buried: true);

    public override string ToString() => Succeeded ? $"success ({Result?.Length ?? 0} bytes)" : IsBuried ? $"buried: {Error}" : $"failure: {Error}";
}
