using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;
using OrleansQueue.Text;
using StackExchange.Redis;

namespace OrleansQueue.Client;

/// <summary>
/// The <c>--redis</c> value shared by the silo, the worker host and the console client: <c>host:port</c> or any
/// StackExchange.Redis configuration string (<c>127.0.0.1:6379,password=…,ssl=true</c>).
/// </summary>
public static partial class RedisConnection
{
    /// <summary>How long the start-up check waits for Redis before it reports it unreachable.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How much of Redis' own answer (<c>WRONGPASS …</c>) an error line repeats.</summary>
    private const int AnswerLength = 200;

    /// <summary>
    /// Parses <c>--redis</c>. Refuses what StackExchange.Redis refuses (an unknown keyword, a port out of range), a
    /// string that names no server, and a server whose host is no host name: StackExchange.Redis takes any word for one
    /// (<c>not a redis,,=</c> names the hosts <c>not a redis</c> and <c>=</c>), which could only fail to connect.
    /// </summary>
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
            error = $"'{Masked(text)}' is not a Redis address: {ex.Message}";
            return false;
        }

        if (options.EndPoints.Count == 0)
        {
            error = $"'{Masked(text)}' names no Redis server: expected host:port, e.g. 127.0.0.1:6379";
            options = null;
            return false;
        }

        // Only the host is repeated: the rest of the string may hold a password.
        if (options.EndPoints.OfType<DnsEndPoint>().FirstOrDefault(e => Uri.CheckHostName(e.Host) == UriHostNameType.Unknown) is { } unusable)
        {
            error = $"'{DisplayText.Echo(unusable.Host)}' is not a Redis server's host name: expected host:port, e.g. 127.0.0.1:6379";
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
            return Reason(ex);
        }
    }

    /// <summary>The configuration string without its password, for messages and logs: as parsed, or, where it does not
    /// parse, with its passwords (<c>password=…</c>) masked.</summary>
    public static string Redacted(string redis) =>
        TryParse(redis, out var parsed, out _) ? parsed.ToString(includePassword: false) : Masked(redis);

    /// <summary><c>--redis</c> as an error line may repeat it: its passwords (<c>password=…</c>) hidden, escaped and cut.</summary>
    private static string Masked(string text) => DisplayText.Echo(PasswordSetting().Replace(text, "${key}*****"));

    [GeneratedRegex(@"(?<key>(^|,)\s*password\s*=)[^,]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();

    /// <summary>True when a StackExchange.Redis error is in <paramref name="exception"/>'s chain: Redis could not be
    /// reached, or refused the connection (a wrong or missing password).</summary>
    public static bool IsRedisError(Exception exception) => FindRedisError(exception) is not null;

    /// <summary>
    /// Why Redis could not be used, as one sentence or two for an <c>error:</c> line: StackExchange.Redis' first
    /// sentence (it follows it with advice about abortConnect, which does not apply here), then, when Redis answered,
    /// its answer: <c>It was not possible to connect to the redis server(s). Authentication failed: WRONGPASS invalid
    /// username-password pair or user is disabled.</c> Reads the first Redis error in <paramref name="exception"/>'s
    /// chain, or <paramref name="exception"/> itself when there is none. Never a stack trace.
    /// </summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = FindRedisError(exception) ?? exception;
        var first = Sentence(FirstSentence(error.Message));
        var answer = error.InnerException is RedisServerException server ? Answer(server.Message) : null;
        return error switch
        {
            RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } => answer is null
                ? $"{first} Authentication failed: check the password (or client certificate) in --redis."
                : $"{first} Authentication failed: {answer}",
            _ when answer is not null => $"{first} Redis answered: {answer}",
            _ => first,
        };
    }

    private static RedisException? FindRedisError(Exception? exception) => exception switch
    {
        null => null,
        RedisException redis => redis,
        AggregateException aggregate => aggregate.InnerExceptions.Select(FindRedisError).FirstOrDefault(e => e is not null),
        _ => FindRedisError(exception.InnerException),
    };

    private static string FirstSentence(string message)
    {
        var first = message.Split('\n', 2)[0].Trim();
        var end = first.IndexOf(". ", StringComparison.Ordinal);
        return DisplayText.OneLine(end < 0 ? first : first[..(end + 1)]);
    }

    /// <summary>Redis' own words (<c>Error: WRONGPASS …</c> as StackExchange.Redis words it), on one line, bounded.</summary>
    private static string Answer(string message)
    {
        var text = message.Trim();
        text = text.StartsWith("Error: ", StringComparison.Ordinal) ? text["Error: ".Length..] : text;
        return Sentence(DisplayText.Shorten(DisplayText.OneLine(text), AnswerLength));
    }

    /// <summary>Ends the text with a full stop, so that another sentence can follow it.</summary>
    private static string Sentence(string text) =>
        text.Length == 0 || text.EndsWith('.') || text.EndsWith('…') ? text : text + ".";
}
