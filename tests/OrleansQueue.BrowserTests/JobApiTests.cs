using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansQueue.Contracts;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.BrowserTests;

/// <summary>The JSON API behind the page: precise status codes and an <c>{"error"}</c> body for every refusal.</summary>
public sealed class JobApiTests(ITestOutputHelper output)
{
    /// <summary>A version-7 job id no one submitted.</summary>
    private const string UnknownId = "01890a5d-ac96-7a4b-bcce-b302099a8057";

    [Fact]
    public Task JobEndpoints_AnswerAMalformedIdWith400_AndAnUnknownIdWith404() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Act
        var malformed = await silo.Http.GetAsync(new Uri("api/jobs/not-a-job-id", UriKind.Relative));
        var unknown = await silo.Http.GetAsync(new Uri($"api/jobs/{UnknownId}", UriKind.Relative));
        var cancelUnknown = await silo.PostAsync($"api/jobs/{UnknownId}/cancel");
        var requeueMalformed = await silo.PostAsync("api/jobs/4x2/requeue");
        // A whole number is a job number (issue 13): one that names no job is unknown, not malformed.
        var requeueUnknownNumber = await silo.PostAsync("api/jobs/42/requeue");
        var badStatus = await silo.Http.GetAsync(new Uri("api/jobs?status=sleeping", UriKind.Relative));

        // Assert
        await ApiAssert.ErrorAsync(malformed, HttpStatusCode.BadRequest, "not a job id");
        await ApiAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, UnknownId);
        await ApiAssert.ErrorAsync(cancelUnknown, HttpStatusCode.NotFound, UnknownId);
        await ApiAssert.ErrorAsync(requeueMalformed, HttpStatusCode.BadRequest, "not a job id");
        await ApiAssert.ErrorAsync(requeueUnknownNumber, HttpStatusCode.NotFound, "no job has id 42");
        await ApiAssert.ErrorAsync(badStatus, HttpStatusCode.BadRequest, "status must be one of pending, processing, completed, failed, cancelled, buried, delayed (it is");
    });

    [Fact]
    public Task NamedQueues_HaveTheirFiguresInTheMetrics_AndTheJobsListFiltersByQueue() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Arrange: no worker, so the jobs stay pending.
        var emails = new[]
        {
            await silo.Cluster.SubmitAsync("SEND_EMAIL", "{}", "--queue", "emails"),
            await silo.Cluster.SubmitAsync("SEND_EMAIL", "{}", "--queue", "emails", "--delay", "600"),
        };
        var plain = await silo.Cluster.SubmitAsync("PLAIN", "{}");

        // Act
        var metrics = await silo.Http.GetFromJsonAsync(new Uri("api/metrics", UriKind.Relative), QueueJsonContext.Default.MetricsDocument);
        var emailJobs = await ListAsync(silo, "api/jobs?queue=emails");
        var pendingEmails = await ListAsync(silo, "api/jobs?status=pending&queue=emails");
        var delayedEmails = await ListAsync(silo, "api/jobs?status=delayed&queue=emails");
        var unknownQueue = await ListAsync(silo, "api/jobs?status=pending&queue=nobody-uses-this");
        var badQueue = await silo.Http.GetAsync(new Uri("api/jobs?queue=has%20space", UriKind.Relative));

        // Assert
        Assert.Equal([new QueueDocument("default", 1, 1, 0, 0), new QueueDocument("emails", 2, 1, 1, 0)], metrics!.Queues);
        Assert.Equal(emails.Order(), emailJobs.Select(j => j.Id).Order());
        Assert.All(emailJobs, j => Assert.Equal("emails", j.Queue));
        Assert.Equal([emails[0]], pendingEmails.Select(j => j.Id));
        Assert.Equal([emails[1]], delayedEmails.Select(j => j.Id));
        Assert.Equal("DELAYED", delayedEmails[0].Status);
        Assert.DoesNotContain(plain, pendingEmails.Select(j => j.Id));
        Assert.Empty(unknownQueue);
        await ApiAssert.ErrorAsync(badQueue, HttpStatusCode.BadRequest, "Queue name 'has space' is not valid");
    });

    private static async Task<IReadOnlyList<JobSummaryDocument>> ListAsync(DashboardSilo silo, string path) =>
        await silo.Http.GetFromJsonAsync(new Uri(path, UriKind.Relative), QueueJsonContext.Default.IReadOnlyListJobSummaryDocument)
            ?? throw new InvalidOperationException($"GET {path} answered null");

    [Fact]
    public Task ErrorBodies_EchoALongIdOrStatus_CutShort() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Arrange: near Kestrel's 8 KB limit for a request line.
        var longText = new string('z', 7000);

        // Act
        var id = await silo.Http.GetAsync(new Uri($"api/jobs/{longText}", UriKind.Relative));
        var command = await silo.PostAsync($"api/jobs/{longText}/cancel");
        var status = await silo.Http.GetAsync(new Uri($"api/jobs?status={longText}", UriKind.Relative));
        var limit = await silo.Http.GetAsync(new Uri($"api/jobs?limit={longText}", UriKind.Relative));

        // Assert
        foreach (var response in new[] { id, command, status, limit })
        {
            var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "zzz…'");
            Assert.True(error.Length < 300, $"the error is {error.Length} characters long: {error}");
        }
    });

    [Fact]
    public Task CancelEndpoint_Accepts_ThenAnswersDuplicateForACancelledJob_AndTheJobShowsCancelled() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Arrange
        var id = await silo.Cluster.SubmitAsync("REPORT", "{}", "--priority", "4");

        // Act
        var first = await silo.PostAsync($"api/jobs/{id}/cancel");
        var second = await silo.PostAsync($"api/jobs/{id}/cancel");
        var job = await silo.Http.GetFromJsonAsync(new Uri($"api/jobs/{id}", UriKind.Relative), QueueJsonContext.Default.JobDocument);
        var cancelled = await silo.Http.GetFromJsonAsync(new Uri("api/jobs?status=cancelled", UriKind.Relative), QueueJsonContext.Default.IReadOnlyListJobSummaryDocument);

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("ACCEPTED", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString());
        // Asking for the state the job is already in is a success that changes nothing (one rule for cancel and requeue).
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DUPLICATE", again.GetProperty("result").GetString());
        Assert.Contains("already CANCELLED", again.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(Outcomes.Cancelled, job?.Status);
        Assert.Equal(id, Assert.Single(cancelled ?? []).Id);
        Assert.Equal(Outcomes.Cancelled, (await silo.Cluster.GetJobAsync(id)).Status);
    });

    [Fact]
    public Task PageAndMetrics_AreServed_OnAFreshSilo() => DashboardSilo.RunAsync(output, async silo =>
    {
        // Act
        var page = await silo.Http.GetAsync(new Uri("/", UriKind.Relative));
        var metrics = await silo.Http.GetFromJsonAsync(new Uri("api/metrics", UriKind.Relative), QueueJsonContext.Default.MetricsDocument);

        // Assert
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"count-pending\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(metrics);
        Assert.Equal(0, metrics.Pending);
        Assert.Equal(11, metrics.PendingByPriority.Count);
        Assert.NotNull(metrics.Latency.EndToEnd);
    });
}
