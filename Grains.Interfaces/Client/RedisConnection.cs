using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace OrleansQueue.Client;

/// <summary>
/// The <c>--redis</c> value shared by the silo, the worker host and the console client: <c>host:port</c> or any
/// StackExchange.Redis configuration string (<c>127.0.0.1:6379,password=…,ssl=true</c>).
/// </summary>
public static class RedisConnection
{
    /// <summary>How long the start-up check waits for Redis before it reports it unreachable.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(3);

    public static bool TryParse(string? text, [NotNullWhen(true)] out ConfigurationOptions? options, out string error)
    {
        options = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the Redis address is empty: expected host:port, e.g. 127.0.0.1:6379";
            return false;
        }

        try
        {
            options = ConfigurationOptions.Parse(text);
            // Completions run on the .NET thread pool instead of the library's dedicated threads: measured in the
            // drain benchmark, waking those threads for every write cost more silo CPU than the writes themselves.
            options.SocketManager = SocketManager.ThreadPool;
        }
        catch (ArgumentException ex)
        {
            error = $"'{text}' is not a Redis address: {ex.Message}";
            return false;
        }

        if (options.EndPoints.Count == 0)
        {
            error = $"'{text}' names no Redis server: expected host:port, e.g. 127.0.0.1:6379";
            options = null;
            return false;
        }

        return true;
    }

    /// <summary>A fresh copy of the parsed configuration for each provider: they connect and dispose on their own.</summary>
    /// <exception cref="ArgumentException">The text was not checked with <see cref="TryParse"/> first.</exception>
    public static ConfigurationOptions Options(string text) =>
        TryParse(text, out var options, out var error) ? options : throw new ArgumentException(error, nameof(text));

    /// <summary>Connects once and sends PING. Null when Redis answered; otherwise why not, in one line.</summary>
    public static async Task<string?> WhyUnreachableAsync(string text, TimeSpan timeout)
    {
        if (!TryParse(text, out var options, out var error))
        {
            return error;
        }

        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = milliseconds;
        options.SyncTimeout = milliseconds;
        options.AsyncTimeout = milliseconds;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(timeout * 2);
            await connection.GetDatabase().PingAsync().WaitAsync(timeout);
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // StackExchange.Redis follows its first sentence with advice about abortConnect that does not apply here.
            var first = ex.Message.Split('\n', 2)[0].Trim();
            var end = first.IndexOf(". ", StringComparison.Ordinal);
            return end < 0 ? first : first[..(end + 1)];
        }
    }
}
