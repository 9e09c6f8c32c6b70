using OrleansQueue.Client;
using StackExchange.Redis;

namespace OrleansQueue.Tests.Client;

/// <summary>
/// The <c>--redis</c> value and what the silo, the worker and the console say when Redis cannot be used: one line that
/// keeps Redis' own reason (a wrong or missing password), never StackExchange.Redis' advice or a stack trace.
/// </summary>
public sealed class RedisConnectionTests
{
    /// <summary>StackExchange.Redis 2.13's words for a wrong password, as a silo, worker and console got them.</summary>
    private static RedisConnectionException WrongPassword() => new(
        ConnectionFailureType.AuthenticationFailure,
        "It was not possible to connect to the redis server(s). There was an authentication failure; check that passwords (or client certificates) " +
        "are configured correctly: (RedisServerException) Error: WRONGPASS invalid username-password pair or user is disabled.",
        new RedisServerException("Error: WRONGPASS invalid username-password pair or user is disabled."));

    [Fact]
    public void Reason_OfAWrongPassword_KeepsRedisAnswer()
    {
        Assert.Equal(
            "It was not possible to connect to the redis server(s). Authentication failed: WRONGPASS invalid username-password pair or user is disabled.",
            RedisConnection.Reason(WrongPassword()));
    }

    [Fact]
    public void Reason_OfAMissingPassword_KeepsRedisAnswer()
    {
        var noAuth = new RedisConnectionException(
            ConnectionFailureType.AuthenticationFailure,
            "It was not possible to connect to the redis server(s). There was an authentication failure; check that passwords (or client certificates) " +
            "are configured correctly: (RedisServerException) NOAUTH Returned - connection has not yet authenticated",
            new RedisServerException("NOAUTH Returned - connection has not yet authenticated"));

        Assert.Equal(
            "It was not possible to connect to the redis server(s). Authentication failed: NOAUTH Returned - connection has not yet authenticated.",
            RedisConnection.Reason(noAuth));
    }

    [Fact]
    public void Reason_OfAnAuthenticationFailureWithoutAnswer_SaysWhatToCheck()
    {
        var failure = new RedisConnectionException(ConnectionFailureType.AuthenticationFailure,
            "It was not possible to connect to the redis server(s). There was an authentication failure; check that passwords (or client certificates) are configured correctly.");

        Assert.Equal(
            "It was not possible to connect to the redis server(s). Authentication failed: check the password (or client certificate) in --redis.",
            RedisConnection.Reason(failure));
    }

    [Fact]
    public void Reason_OfARedisNobodyListensFor_IsTheFirstSentence_WithoutTheAdviceAboutAbortConnect()
    {
        var failure = new RedisConnectionException(ConnectionFailureType.UnableToConnect,
            "It was not possible to connect to the redis server(s). Error connecting right now. To allow this multiplexer to continue retrying until " +
            "it's able to connect, use abortConnect=false in your connection string or AbortOnConnectFail=false; in your code.");

        Assert.Equal("It was not possible to connect to the redis server(s).", RedisConnection.Reason(failure));
    }

    [Fact]
    public void Reason_FindsTheRedisErrorInsideOthers()
    {
        var wrapped = new InvalidOperationException("the start failed", new AggregateException(new TimeoutException(), WrongPassword()));

        Assert.True(RedisConnection.IsRedisError(wrapped));
        Assert.EndsWith("Authentication failed: WRONGPASS invalid username-password pair or user is disabled.", RedisConnection.Reason(wrapped), StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_ShowsAServersAnswer_OnOneLine_Escaped_AndBounded()
    {
        var answer = "Error: WRONGPASS \u001b[2J\nsecond line " + new string('x', 1000);
        var failure = new RedisConnectionException(ConnectionFailureType.AuthenticationFailure, "It was not possible to connect to the redis server(s).",
            new RedisServerException(answer));

        var reason = RedisConnection.Reason(failure);

        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain('\u001b', reason);
        Assert.Contains("WRONGPASS \\u001B[2J second line", reason, StringComparison.Ordinal);
        Assert.True(reason.Length < 300, $"{reason.Length} characters");
    }

    [Fact]
    public void IsRedisError_IsFalse_ForOtherErrors()
    {
        Assert.False(RedisConnection.IsRedisError(new TimeoutException("no gateway answered", new IOException("reset"))));
    }

    [Theory]
    [InlineData("not a redis,,=", "'not a redis' is not a Redis server's host name")]
    [InlineData("=", "'=' is not a Redis server's host name")]
    [InlineData("127.0.0.1:6379,bad host:6380", "'bad host' is not a Redis server's host name")]
    [InlineData("not a redis,password=secret", "'not a redis' is not a Redis server's host name")]
    public void TryParse_RefusesAHostThatIsNoHostName_WithoutRepeatingThePassword(string text, string expected)
    {
        Assert.False(RedisConnection.TryParse(text, out var options, out var error));

        Assert.Null(options);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("localhost")]
    [InlineData("[::1]:6379")]
    [InlineData("oq_redis_1:6379")]
    [InlineData("redis-1.internal:6380,password=secret,ssl=true")]
    public void TryParse_AcceptsHostNamesAndAddresses(string text)
    {
        Assert.True(RedisConnection.TryParse(text, out _, out var error), error);
    }

    [Fact]
    public async Task ConnectDiagnosis_OfAClientThatFoundRedisRefusingIt_IsTheClusterUnreachable_WithRedisReason_AndNoPassword()
    {
        Assert.True(ClusterEndpoints.TryParse(null, "127.0.0.1:6379,password=wrong", out var endpoints, out _));

        var refusal = await new ConnectDiagnosis(endpoints, tls: null).ExplainAsync(WrongPassword());

        Assert.Equal(
            new ConnectRefusal(ExitCodes.SiloUnreachable,
                "cannot reach the cluster in Redis at 127.0.0.1:6379,password=*****: It was not possible to connect to the redis server(s). " +
                "Authentication failed: WRONGPASS invalid username-password pair or user is disabled."),
            refusal);
    }

    [Fact]
    public async Task ConnectDiagnosis_OfAConnectTimeoutBeforeRedisAnswered_AsksRedis_AndGivesItsReason()
    {
        // Nothing listens on the port: the client's connect timeout ran out before StackExchange.Redis' own error came.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closed = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.True(ClusterEndpoints.TryParse(null, $"127.0.0.1:{closed}", out var endpoints, out _));

        var refusal = await new ConnectDiagnosis(endpoints, tls: null).ExplainAsync(new TimeoutException("no gateway"));

        Assert.Equal(
            new ConnectRefusal(ExitCodes.SiloUnreachable, $"cannot reach the cluster in Redis at 127.0.0.1:{closed}: It was not possible to connect to the redis server(s)."),
            refusal);
    }

    [Theory]
    [InlineData("127.0.0.1:6379,password=hunter2,nosuchkey=1")]
    [InlineData("127.0.0.1:6379,Password = hunter2,nosuchkey=1")]
    public void AnAddressRefused_IsRepeated_WithItsPasswordHidden(string text)
    {
        Assert.False(RedisConnection.TryParse(text, out _, out var error));

        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.Contains("*****", error, StringComparison.Ordinal);
        Assert.Contains("is not a Redis address", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:6379,password=hunter2", "127.0.0.1:6379,password=*****")]
    [InlineData("127.0.0.1:6379,password=hunter2,nosuchkey=1", "127.0.0.1:6379,password=*****,nosuchkey=1")]
    public void Redacted_NeverShowsThePassword_WhetherOrNotTheStringParses(string redis, string shown)
    {
        Assert.Equal(shown, RedisConnection.Redacted(redis));
    }
}
