namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>One line a process wrote, with when (since the process started) and on which stream.</summary>
public sealed record OutputLine(TimeSpan At, bool IsError, string Text)
{
    public override string ToString() => $"{At.TotalSeconds,7:0.000} {(IsError ? "err" : "out")} | {Text}";
}
