using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using OrleansQueue.BrowserTests.Browser;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace OrleansQueue.BrowserTests;

/// <summary>The web side with an API key (<c>--api-key</c>): every request but the page itself needs it, the page asks
/// for it once, and a silo does not put a keyless dashboard beyond loopback. One silo serves the class.</summary>
public sealed class ApiKeyTests(ApiKeyTests.KeyedSilo fixture, ITestOutputHelper output) : IClassFixture<ApiKeyTests.KeyedSilo>
{
    private const string Key = "test-api-key-0123456789abcdef";

    static ApiKeyTests()
    {
        SetDefaultExpectTimeout(15_000);
    }

    [Fact]
    public Task TheApi_Answers401WithoutTheKey_AndWithAWrongOne_AndServesTheRightOne() => fixture.Silo.Cluster.VerifyAsync(async () =>
    {
        // Act
        var without = await fixture.Silo.Http.GetAsync(new Uri("api/metrics", UriKind.Relative));
        var wrong = await SendAsync(HttpMethod.Get, "api/metrics", "Bearer not-the-key-at-all-0000");
        var right = await SendAsync(HttpMethod.Get, "api/metrics", $"Bearer {Key}");
        var cancelWithout = await fixture.Silo.PostAsync("api/jobs/01890a5d-ac96-7a4b-bcce-b302099a8057/cancel");
        var cancelWithKey = await SendAsync(HttpMethod.Post, "api/jobs/01890a5d-ac96-7a4b-bcce-b302099a8057/cancel", $"Bearer {Key}");
        var scrapeWithout = await fixture.Silo.Http.GetAsync(new Uri("metrics", UriKind.Relative));
        var page = await fixture.Silo.Http.GetAsync(new Uri("/", UriKind.Relative));

        // Assert
        await ApiAssert.ErrorAsync(without, HttpStatusCode.Unauthorized, "needs its API key: send the header 'Authorization: Bearer KEY'");
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.Single().Scheme);
        await ApiAssert.ErrorAsync(wrong, HttpStatusCode.Unauthorized, "the API key sent is not this dashboard's");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        await ApiAssert.ErrorAsync(cancelWithout, HttpStatusCode.Unauthorized, "needs its API key");
        await ApiAssert.ErrorAsync(cancelWithKey, HttpStatusCode.NotFound, "01890a5d");
        Assert.Equal(HttpStatusCode.Unauthorized, scrapeWithout.StatusCode);
        // The page holds no data: it is served so that it can ask for the key.
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    });

    [Fact]
    public Task ThePage_AsksForTheKeyOnce_ThenShowsTheQueue_AndKeepsItWhileTheTabIsOpen() => fixture.Silo.Cluster.VerifyAsync(async () =>
    {
        // Without the browser there is nothing to test: fail at once, saying how to install it.
        Chromium.Executable();
        var id = await fixture.Silo.Cluster.SubmitAsync("CLEANUP_LOGS", "{}", "--priority", "3");
        await using var browser = await BrowserSession.StartAsync();
        var page = await DashboardPage.OpenAsync(browser, fixture.Silo.BaseUri);
        var form = page.Page.Locator("[data-testid='api-key-form']");

        // Act: the page finds the API refusing it and asks.
        await Expect(form).ToBeVisibleAsync();
        await page.Page.Locator("[data-testid='api-key-input']").FillAsync(Key);
        await page.Page.Locator("[data-testid='api-key-submit']").ClickAsync();

        // Assert: with the key it shows the queue, and a reload in the same tab does not ask again.
        await Expect(page.JobRow(id)).ToBeVisibleAsync();
        await Expect(form).ToBeHiddenAsync();
        await Expect(page.Live).ToHaveTextAsync("live");
        await page.Page.ReloadAsync();
        await Expect(page.JobRow(id)).ToBeVisibleAsync();
        await Expect(form).ToBeHiddenAsync();
        output.WriteLine($"screenshot: {await browser.ScreenshotAsync("dashboard-with-api-key")}");
    });

    [Fact]
    public Task AKeylessRequestRefusedAfterTheKeyWasEntered_DoesNotAskForItAgain() => fixture.Silo.Cluster.VerifyAsync(async () =>
    {
        // Arrange: once the page has asked, its next keyless requests are held until the key has been entered, so that
        // their 401 arrives after it: the order that a slow network gives at random.
        Chromium.Executable();
        var id = await fixture.Silo.Cluster.SubmitAsync("CLEANUP_LOGS", "{}", "--priority", "3");
        await using var browser = await BrowserSession.StartAsync();
        var holding = false;
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var keyedAfterRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await browser.Page.RouteAsync("**/api/**", async route =>
        {
            var keyed = (await route.Request.AllHeadersAsync()).ContainsKey("authorization");
            if (!keyed && Volatile.Read(ref holding))
            {
                held.TrySetResult();
                await release.Task;
            }
            else if (keyed && release.Task.IsCompleted && route.Request.Url.EndsWith("/api/metrics", StringComparison.Ordinal))
            {
                keyedAfterRelease.TrySetResult();
            }

            await route.ContinueAsync();
        });
        var page = await DashboardPage.OpenAsync(browser, fixture.Silo.BaseUri);
        var form = page.Page.Locator("[data-testid='api-key-form']");
        await Expect(form).ToBeVisibleAsync();
        Volatile.Write(ref holding, true);
        await held.Task.WaitAsync(QueueCluster.StartTimeout);

        // Act: the key is entered while a keyless round is held; then that round is refused.
        await page.Page.Locator("[data-testid='api-key-input']").FillAsync(Key);
        await page.Page.Locator("[data-testid='api-key-submit']").ClickAsync();
        await Expect(page.JobRow(id)).ToBeVisibleAsync();
        release.TrySetResult();
        // The page polls one round at a time: a keyed round after the release means the held one has been handled.
        await keyedAfterRelease.Task.WaitAsync(QueueCluster.StartTimeout);

        // Assert
        await Expect(form).ToBeHiddenAsync();
        await Expect(page.Live).ToHaveTextAsync("live");
        await Expect(page.JobRow(id)).ToBeVisibleAsync();
    });

    [Fact]
    public async Task ASiloAskedToPutTheDashboardBeyondLoopbackWithoutAKey_RefusesToStart_ExitTwo()
    {
        // Act
        var ports = FreePort.Next(3);
        await using var silo = ProcessRunner.Start("keyless-silo", Executables.Silo,
            ["--silo-port", P(ports[0]), "--gateway-port", P(ports[1]), "--dashboard-port", P(ports[2]), "--dashboard-bind", "0.0.0.0"]);
        var exitCode = await silo.WaitForExitAsync(QueueCluster.StartTimeout);

        // Assert
        output.WriteLine(silo.Describe());
        Assert.Equal(2, exitCode);
        var error = Assert.Single(silo.StandardErrorText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: invalid configuration: ", error, StringComparison.Ordinal);
        Assert.Contains("the dashboard would listen on 0.0.0.0, beyond this machine, without an API key", error, StringComparison.Ordinal);
        Assert.Contains("give --api-key KEY (or set ORLEANSQUEUE_API_KEY)", error, StringComparison.Ordinal);

        static string P(int port) => port.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string authorization)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        request.Headers.Add("X-Requested-With", "test");
        return await fixture.Silo.Http.SendAsync(request);
    }

    /// <summary>A silo whose web side requires <see cref="Key"/>.</summary>
    public sealed class KeyedSilo(IMessageSink diagnostics) : IAsyncLifetime
    {
        private DashboardSilo? _silo;

        public DashboardSilo Silo => _silo ?? throw new InvalidOperationException("The fixture has not started.");

        public async Task InitializeAsync() => _silo = await DashboardSilo.StartAsync(new MessageSinkOutput(diagnostics), "--api-key", Key);

        public async Task DisposeAsync()
        {
            if (_silo is not null)
            {
                await _silo.DisposeAsync();
            }
        }
    }
}
