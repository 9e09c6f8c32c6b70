using OrleansQueue.Jobs;

namespace OrleansQueue.Contracts;

/// <summary>
/// One job of a batch submit (an element of <c>submit --count N --json</c> and <c>submit --file FILE --json</c>, which
/// print an array of every job in the order given). <c>job</c> is its number in the batch, from 1; <c>line</c> its line
/// in the file (null with <c>--count</c>); <c>id</c> null when it was not queued; <c>outcome</c> <c>QUEUED</c>,
/// <c>INVALID</c> (the silo refused a value), <c>FAILED</c> (the silo could not store it) or <c>UNKNOWN</c> (no answer:
/// its status tells); <c>error</c> the silo's message, null when queued. Every key is always there.
/// </summary>
public sealed record SubmitOutcomeDocument(int Job, int? Line, string? Id, string Outcome, string? Error)
{
    public static SubmitOutcomeDocument From(int job, int? line, SubmitOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new(
            job,
            line,
            // An unknown outcome keeps its id: its status tells whether it was queued.
            outcome.Kind is SubmitOutcomeKind.Queued or SubmitOutcomeKind.Unknown ? JobId.Format(outcome.JobId) : null,
            WireName(outcome.Kind),
            outcome.IsQueued ? null : outcome.Error);
    }

    public static string WireName(SubmitOutcomeKind kind) => kind switch
    {
        SubmitOutcomeKind.Queued => "QUEUED",
        SubmitOutcomeKind.Invalid => "INVALID",
        SubmitOutcomeKind.Failed => "FAILED",
        SubmitOutcomeKind.Unknown => "UNKNOWN",
        _ => kind.ToString().ToUpperInvariant(),
    };
}
