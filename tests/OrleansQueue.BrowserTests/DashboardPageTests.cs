using Microsoft.Playwright;
using OrleansQueue.BrowserTests.Browser;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OrleansQueue.BrowserTests;

/// <summary>The dashboard page in a real browser against a real silo.</summary>
public sealed class DashboardPageTests(ITestOutputHelper output)
{
    static DashboardPageTests()
    {
        // The page refreshes every second; a few refreshes is plenty, and a slow CI machine gets some more.
        SetDefaultExpectTimeout(15_000);
    }

    [Fact]
    public async Task CancelOnThePage_CancelsThePendingJob_AndThePageShowsIt()
    {
        // Without the browser there is nothing to test: fail at once, saying how to install it.
        Chromium.Executable();
        await DashboardSilo.RunAsync(output, ScenarioAsync);
    }

    private async Task ScenarioAsync(DashboardSilo silo)
    {
        // Arrange: three jobs of different priorities and no worker, so all stay pending.
        var urgent = await silo.Cluster.SubmitAsync("TRANSCODE_VIDEO", "{\"durationMs\": 2000}", "--priority", "1");
        var normal = await silo.Cluster.SubmitAsync("CALCULATE_FINANCE", "{\"durationMs\": 2000}", "--priority", "5");
        var low = await silo.Cluster.SubmitAsync("CLEANUP_LOGS", "{\"durationMs\": 2000}", "--priority", "9");
        await using var browser = await BrowserSession.StartAsync();
        await ScreenshotOnFailureAsync(browser, nameof(CancelOnThePage_CancelsThePendingJob_AndThePageShowsIt), async () =>
        {
            var page = await DashboardPage.OpenAsync(browser, silo.BaseUri);
            await Expect(page.Count("pending")).ToHaveTextAsync("3");
            await Expect(page.JobRows).ToHaveCountAsync(3);
            foreach (var id in new[] { urgent, normal, low })
            {
                await Expect(page.JobRowStatus(id)).ToHaveTextAsync(Outcomes.Pending);
            }

            await Expect(page.PendingAtPriority(1)).ToHaveTextAsync("1");
            await Expect(page.PendingAtPriority(5)).ToHaveTextAsync("1");
            await Expect(page.PendingAtPriority(9)).ToHaveTextAsync("1");

            // Act
            await page.JobRow(normal).ClickAsync();
            await Expect(page.DetailId).ToHaveTextAsync(normal);
            await Expect(page.DetailStatus).ToHaveTextAsync(Outcomes.Pending);
            await page.CancelButton.ClickAsync();

            // Assert: the page...
            await Expect(page.DetailStatus).ToHaveTextAsync(Outcomes.Cancelled);
            await Expect(page.ActionMessage).ToContainTextAsync("cancelled");
            await Expect(page.CancelButton).ToBeDisabledAsync();
            await Expect(page.RequeueButton).ToBeEnabledAsync();
            await Expect(page.JobRowStatus(normal)).ToHaveTextAsync(Outcomes.Cancelled);
            await Expect(page.Count("pending")).ToHaveTextAsync("2");
            await Expect(page.Count("cancelled")).ToHaveTextAsync("1");
            await Expect(page.PendingAtPriority(5)).ToHaveTextAsync("0");
            await page.Filter("cancelled").ClickAsync();
            await Expect(page.JobRows).ToHaveCountAsync(1);
            await Expect(page.JobRow(normal)).ToBeVisibleAsync();
            output.WriteLine($"screenshot: {await browser.ScreenshotAsync("dashboard-after-cancel")}");

            // ...and the queue itself, asked through the console client.
            Assert.Equal(Outcomes.Cancelled, (await silo.Cluster.GetJobAsync(normal)).Status);
            Assert.Equal(Outcomes.Pending, (await silo.Cluster.GetJobAsync(urgent)).Status);
            Assert.Equal(Outcomes.Pending, (await silo.Cluster.GetJobAsync(low)).Status);
        });
    }

    [Fact]
    public async Task Queues_AreListedWithTheirFigures_AndAClickShowsOneQueuesJobs()
    {
        Chromium.Executable();
        await DashboardSilo.RunAsync(output, async silo =>
        {
            // Arrange: no worker, so every job stays pending.
            var emails = new[]
            {
                await silo.Cluster.SubmitAsync("SEND_EMAIL", "{}", "--queue", "emails"),
                await silo.Cluster.SubmitAsync("SEND_EMAIL", "{}", "--queue", "emails", "--delay", "600"),
            };
            await silo.Cluster.SubmitAsync("BUILD_REPORT", "{}", "--queue", "reports");
            await using var browser = await BrowserSession.StartAsync();
            await ScreenshotOnFailureAsync(browser, nameof(Queues_AreListedWithTheirFigures_AndAClickShowsOneQueuesJobs), async () =>
            {
                var page = await DashboardPage.OpenAsync(browser, silo.BaseUri);
                await Expect(page.QueueFigure("emails", "pending")).ToHaveTextAsync("2");
                await Expect(page.QueueFigure("emails", "ready")).ToHaveTextAsync("1");
                await Expect(page.QueueFigure("emails", "delayed")).ToHaveTextAsync("1");
                await Expect(page.QueueFigure("emails", "processing")).ToHaveTextAsync("0");
                await Expect(page.QueueFigure("reports", "ready")).ToHaveTextAsync("1");
                await Expect(page.JobRows).ToHaveCountAsync(3);
                await Expect(page.QueueFilter).ToBeHiddenAsync();

                // Act
                await page.QueueRow("emails").ClickAsync();

                // Assert: only the emails jobs, each saying so; the filter shows and clears.
                await Expect(page.QueueFilter).ToHaveTextAsync("queue emails ✕");
                await Expect(page.JobRows).ToHaveCountAsync(2);
                await Expect(page.JobRowQueues).ToHaveTextAsync(["emails", "emails"]);
                foreach (var id in emails)
                {
                    await Expect(page.JobRow(id)).ToBeVisibleAsync();
                }

                // The job submitted with a delay is DELAYED, and the delayed filter shows it alone.
                await Expect(page.JobRowStatus(emails[0])).ToHaveTextAsync("PENDING");
                await Expect(page.JobRowStatus(emails[1])).ToHaveTextAsync("DELAYED");
                await page.Filter("delayed").ClickAsync();
                await Expect(page.JobRows).ToHaveCountAsync(1);
                await Expect(page.JobRow(emails[1])).ToBeVisibleAsync();
                await page.Filter("all").ClickAsync();
                await Expect(page.JobRows).ToHaveCountAsync(2);

                await page.JobRow(emails[0]).ClickAsync();
                await Expect(page.DetailQueue).ToHaveTextAsync("emails");
                output.WriteLine($"screenshot: {await browser.ScreenshotAsync("dashboard-queue-emails")}");
                await page.QueueFilter.ClickAsync();
                await Expect(page.JobRows).ToHaveCountAsync(3);
                await Expect(page.QueueFilter).ToBeHiddenAsync();
            });
        });
    }

    /// <summary>A failed check leaves a picture of the page next to the test's output, and says where.</summary>
    private async Task ScreenshotOnFailureAsync(BrowserSession browser, string name, Func<Task> checks)
    {
        try
        {
            await checks();
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            string where;
            try
            {
                where = await browser.ScreenshotAsync($"{name}-failed");
            }
            catch (PlaywrightException screenshotError)
            {
                where = $"(no screenshot: {screenshotError.Message})";
            }

            output.WriteLine($"screenshot of the failure: {where}");
            throw;
        }
    }
}
