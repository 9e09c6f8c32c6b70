using OrleansQueue.Jobs;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>What the job grain answered to <c>cancel</c> or <c>requeue</c>. <c>result</c> is <c>ACCEPTED</c>,
/// <c>DUPLICATE</c>, <c>WRONG_STATE</c>, <c>STALE_ATTEMPT</c> or <c>NOT_FOUND</c>; <c>status</c> is the job's status
/// after the command; <c>error</c> repeats <c>message</c> when the command was refused.</summary>
public sealed record CommandResponse(string Id, string Result, string Status, int CurrentAttempt, string Message, string? Error)
{
    public static CommandResponse From(Guid id, ReportReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new(
            JobId.Format(id),
            ResultName(reply.Result),
            reply.Status.ToWireName(),
            reply.CurrentAttempt,
            reply.Message,
            reply.IsAccepted ? null : reply.Message);
    }

    private static string ResultName(ReportResult result) => result switch
    {
        ReportResult.Accepted => "ACCEPTED",
        ReportResult.Duplicate => "DUPLICATE",
        ReportResult.StaleAttempt => "STALE_ATTEMPT",
        ReportResult.WrongState => "WRONG_STATE",
        ReportResult.NotFound => "NOT_FOUND",
        _ => result.ToString().ToUpperInvariant(),
    };
}
