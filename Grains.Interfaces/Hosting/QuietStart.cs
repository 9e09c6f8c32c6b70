using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace OrleansQueue.Hosting;

/// <summary>
/// Silences the Orleans and hosting log categories until the host has started: a start that fails is reported by the
/// host as one <c>error:</c> line and an exit code, and the framework's own entries (each failed connection attempt,
/// "Hosting failed to start" with its stack trace) would only repeat it. From <see cref="Started"/> on, those
/// categories log at their configured levels (default Warning).
/// </summary>
public sealed class QuietStart
{
    private static readonly string[] Categories = ["Orleans", "Microsoft.Extensions.Hosting"];
    private volatile bool _started;

    /// <summary>These rules replace the configured levels of their categories, so they apply those levels themselves.</summary>
    public QuietStart(ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var category in Categories)
        {
            var configured = configuration.GetValue<LogLevel?>($"Logging:LogLevel:{category}") ?? LogLevel.Warning;
            logging.AddFilter(category, level => level >= configured && _started);
        }
    }

    public void Started() => _started = true;
}
