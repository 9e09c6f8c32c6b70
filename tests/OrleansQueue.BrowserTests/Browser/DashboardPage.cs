using Microsoft.Playwright;

namespace OrleansQueue.BrowserTests.Browser;

/// <summary>The silo's dashboard as the tests see it: its elements found by their <c>data-testid</c>.</summary>
public sealed class DashboardPage(IPage page)
{
    public IPage Page { get; } = page;

    public static async Task<DashboardPage> OpenAsync(BrowserSession browser, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var response = await browser.Page.GotoAsync(baseUri.ToString());
        if (response is not { Ok: true })
        {
            throw new InvalidOperationException($"GET {baseUri} answered {response?.Status}.");
        }

        return new DashboardPage(browser.Page);
    }

    /// <summary>A header count: <c>pending</c>, <c>processing</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>,
    /// <c>retried</c> or <c>workers</c>.</summary>
    public ILocator Count(string what) => ByTestId($"count-{what}");

    public ILocator PendingAtPriority(int priority) => ByTestId($"priority-count-{priority}");

    public ILocator JobRows => Page.Locator("#jobs-table tr[data-testid^='job-row-']");

    public ILocator JobRow(string id) => ByTestId($"job-row-{id}");

    public ILocator JobRowStatus(string id) => JobRow(id).Locator("[data-testid='row-status']");

    public ILocator Filter(string status) => ByTestId($"filter-{status}");

    /// <summary>A named queue's row in the queues table; a click shows only its jobs.</summary>
    public ILocator QueueRow(string queue) => ByTestId($"queue-row-{queue}");

    /// <summary>A named queue's figure: <c>pending</c>, <c>ready</c>, <c>delayed</c> or <c>processing</c>.</summary>
    public ILocator QueueFigure(string queue, string what) => ByTestId($"queue-{what}-{queue}");

    /// <summary>The queue the jobs list is limited to; a click shows every queue's again.</summary>
    public ILocator QueueFilter => ByTestId("queue-filter");

    public ILocator JobRowQueues => Page.Locator("#jobs-table [data-testid='row-queue']");

    public ILocator DetailQueue => ByTestId("job-queue");

    public ILocator DetailId => ByTestId("job-id");

    public ILocator DetailStatus => ByTestId("job-status");

    public ILocator CancelButton => ByTestId("cancel-button");

    public ILocator RequeueButton => ByTestId("requeue-button");

    public ILocator ActionMessage => ByTestId("action-message");

    public ILocator Live => ByTestId("live");

    private ILocator ByTestId(string id) => Page.Locator($"[data-testid='{id}']");
}
