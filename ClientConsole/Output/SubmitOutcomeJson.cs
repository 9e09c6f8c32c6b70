using System.Text.Json;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Output;

/// <summary>
/// One job of a batch submit (an element of <c>submit --count N --json</c> and <c>submit --file FILE --json</c>, which
/// print an array of every job in the order given). Keys: <c>job</c> (its number in the batch, from 1), <c>line</c>
/// (its line in the file; null with <c>--count</c>), <c>id</c> (null when it was not queued), <c>outcome</c>
/// (<c>QUEUED</c>, <c>INVALID</c>: the silo refused a value, or <c>FAILED</c>: the silo could not store it) and
/// <c>error</c> (the silo's message; null when queued). As in <see cref="JobJson"/>, every key is always there.
/// </summary>
internal static class SubmitOutcomeJson
{
    public static void Write(Utf8JsonWriter writer, int job, int? line, SubmitOutcome outcome)
    {
        writer.WriteStartObject();
        writer.WriteNumber("job", job);
        if (line is { } number)
        {
            writer.WriteNumber("line", number);
        }
        else
        {
            writer.WriteNull("line");
        }

        // An unknown outcome keeps its id: its status tells whether it was queued.
        writer.WriteStringOrNull("id", outcome.Kind is SubmitOutcomeKind.Queued or SubmitOutcomeKind.Unknown ? JobId.Format(outcome.JobId) : null);
        writer.WriteString("outcome", WireName(outcome.Kind));
        writer.WriteStringOrNull("error", outcome.IsQueued ? null : outcome.Error);
        writer.WriteEndObject();
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
