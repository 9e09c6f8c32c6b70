using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansQueue.Client;
using OrleansQueue.Contracts;
using Microsoft.AspNetCore.Mvc;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Silo.Dashboard.Api;
using OrleansQueue.Text;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>
/// The page and the JSON API it reads, all answered through <see cref="JobQueueClient"/> on the silo's own grain
/// factory. Jobs and metrics are the contracts of <see cref="QueueJsonContext"/>, the same as the console's <c>--json</c>.
/// Statuses are wire names (<c>PENDING</c>); every error is <c>{"error": "..."}</c>.
/// <list type="bullet">
/// <item><c>GET /api/metrics</c>: <see cref="MetricsDocument"/>.</item>
/// <item><c>GET /api/jobs?status=pending|delayed|processing|completed|failed|cancelled|buried&amp;queue=NAME&amp;limit=N</c>: jobs in that
/// status in the order of <c>list</c>; without a status, recent jobs of every status, newest submission first; with a
/// queue, that named queue's only (400 for a malformed name). Each is a <see cref="JobSummaryDocument"/>.</item>
/// <item><c>GET /api/jobs/{id}</c>: <see cref="JobDocument"/>; 400 for a malformed id, 404 for an unknown one.</item>
/// <item><c>POST /api/jobs/{id}/cancel</c> and <c>/requeue</c>: 200 with <see cref="CommandResponse"/>, 409 (same
/// body) when the job's state refuses it, 404 for an unknown job.</item>
/// </list>
/// </summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", (DashboardPage page, HttpContext context) => page.Serve(context));

        var api = endpoints.MapGroup("/api").AddEndpointFilter<ApiFailureFilter>();
        api.MapGet("/metrics", GetMetricsAsync);
        api.MapGet("/jobs", ListJobsAsync);
        api.MapGet("/jobs/{id}", GetJobAsync);
        api.MapPost("/jobs/{id}/cancel", (string id, JobQueueClient queue) => RunCommandAsync(id, queue.CancelAsync));
        api.MapPost("/jobs/{id}/requeue", (string id, JobQueueClient queue) => RunCommandAsync(id, queue.RequeueAsync));
        return endpoints;
    }

    internal static async Task<JsonHttpResult<MetricsDocument>> GetMetricsAsync(JobQueueClient queue) =>
        TypedResults.Json(MetricsDocument.From(await queue.GetMetricsAsync()), QueueJsonContext.Default.MetricsDocument);

    internal static async Task<Results<JsonHttpResult<IReadOnlyList<JobSummaryDocument>>, BadRequest<ErrorResponse>>> ListJobsAsync(
        string? status, string? limit, [FromQuery(Name = "queue")] string? queueName, JobQueueClient queue, IOptions<DashboardOptions> options)
    {
        var settings = options.Value;
        if (queueName is not null && !QueueNames.IsValid(queueName))
        {
            return TypedResults.BadRequest(new ErrorResponse(QueueNames.Malformed(queueName)));
        }

        var count = settings.DefaultJobLimit;
        if (limit is not null && (!int.TryParse(limit, out count) || count < 1 || count > settings.MaxJobLimit))
        {
            return TypedResults.BadRequest(new ErrorResponse($"limit must be a whole number from 1 to {settings.MaxJobLimit} (it is '{DisplayText.Echo(limit)}')."));
        }

        if (string.IsNullOrWhiteSpace(status))
        {
            return Summaries(await ListRecentAsync(queue, count, queueName));
        }

        if (!JobStatusNames.TryParse(status.Trim(), out var parsed))
        {
            return TypedResults.BadRequest(new ErrorResponse($"status must be one of {JobStatusNames.Listed} (it is '{DisplayText.Echo(status)}')."));
        }

        return Summaries(await queue.ListAsync(parsed, count, queueName));
    }

    internal static async Task<Results<JsonHttpResult<JobDocument>, BadRequest<ErrorResponse>, NotFound<ErrorResponse>>> GetJobAsync(
        string id, JobQueueClient queue)
    {
        if (!JobId.TryParse(id, out var jobId))
        {
            return TypedResults.BadRequest(new ErrorResponse(JobId.Malformed(id)));
        }

        return await queue.GetStatusAsync(jobId) is { } job
            ? TypedResults.Json(JobDocument.From(job), QueueJsonContext.Default.JobDocument)
            : TypedResults.NotFound(Unknown(jobId));
    }

    private static async Task<Results<Ok<CommandResponse>, Conflict<CommandResponse>, BadRequest<ErrorResponse>, NotFound<ErrorResponse>>> RunCommandAsync(
        string id, Func<Guid, Task<ReportReply>> command)
    {
        if (!JobId.TryParse(id, out var jobId))
        {
            return TypedResults.BadRequest(new ErrorResponse(JobId.Malformed(id)));
        }

        var reply = await command(jobId);
        return reply.Result switch
        {
            ReportResult.NotFound => TypedResults.NotFound(Unknown(jobId)),
            _ when reply.IsAccepted => TypedResults.Ok(CommandResponse.From(jobId, reply)),
            _ => TypedResults.Conflict(CommandResponse.From(jobId, reply)),
        };
    }

    /// <summary>The most recently submitted jobs of every status. Each status contributes the first
    /// <paramref name="limit"/> jobs of its own list, and pending ones come in queue order: with more pending jobs than
    /// the limit, the newest pending ones are left out here (<c>?status=pending</c> lists them).</summary>
    private static async Task<IEnumerable<JobView>> ListRecentAsync(JobQueueClient queue, int limit, string? queueName)
    {
        var lists = await Task.WhenAll(Enum.GetValues<JobStatus>().Select(s => queue.ListAsync(s, limit, queueName)));
        return lists.SelectMany(l => l)
            .DistinctBy(j => j.Id)
            .OrderByDescending(j => j.SubmittedAt)
            .ThenByDescending(j => j.Id)
            .Take(limit);
    }

    private static JsonHttpResult<IReadOnlyList<JobSummaryDocument>> Summaries(IEnumerable<JobView> jobs) =>
        TypedResults.Json<IReadOnlyList<JobSummaryDocument>>(
            jobs.Select(JobSummaryDocument.From).ToList(), QueueJsonContext.Default.IReadOnlyListJobSummaryDocument);

    private static ErrorResponse Unknown(Guid id) => new($"no job has id {JobId.Format(id)}.");
}
