using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OrleansQueue.Worker.Hosting;

namespace OrleansQueue.Tests.Worker;

public sealed class WorkerLoggingTests
{
    [Fact]
    public void WorkerConsole_PrintsScopes_OnOneTimestampedLine()
    {
        using var services = new ServiceCollection().AddLogging(b => b.AddWorkerConsole()).BuildServiceProvider();

        var options = services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;

        Assert.True(options.IncludeScopes, "a job's lines would not show their JobId, Attempt and Worker");
        Assert.True(options.SingleLine);
        Assert.Equal("HH:mm:ss.fff ", options.TimestampFormat);
    }
}
