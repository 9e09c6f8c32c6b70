using OrleansQueue.Worker.Hosting;

namespace OrleansQueue.Tests.Worker;

public sealed class WorkerOptionsValidatorTests
{
    private static List<string> Validate(Action<WorkerOptions> change)
    {
        var options = new WorkerOptions();
        change(options);
        var result = new WorkerOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures!.ToList() : [];
    }

    [Fact]
    public void Validate_AcceptsTheDefaults()
    {
        Assert.Empty(Validate(_ => { }));
    }

    [Fact]
    public void Validate_RefusesAnOverlongName_EchoingItsStartOnly()
    {
        var error = Assert.Single(Validate(o => o.Name = new string('n', 100_000)));

        Assert.StartsWith("Worker:Name (--name) 'nnn", error, StringComparison.Ordinal);
        Assert.EndsWith("…' is 100000 characters long: the limit is 128.", error, StringComparison.Ordinal);
        Assert.True(error.Length < 200, error);
    }

    [Fact]
    public void Validate_RefusesANameWithAControlCharacter_ShowingItEscaped()
    {
        var error = Assert.Single(Validate(o => o.Name = "bad\u001b[31mname"));

        Assert.Equal("Worker:Name (--name) 'bad\\u001B[31mname' holds white space or control characters: give a name without them.", error);
    }

    [Fact]
    public void Validate_RefusesAMalformedQueueName_AndAcceptsGoodOnes()
    {
        Assert.Empty(Validate(o => o.Queues = ["emails", "a/b.c"]));
        var error = Assert.Single(Validate(o => o.Queues = ["ok", "-bad"]));
        Assert.StartsWith("Worker:Queues (--queue): Queue name '-bad' is not valid", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Worker:Concurrency (--concurrency) is 0: it must be from 1 to 1024.")]
    [InlineData(1025, "Worker:Concurrency (--concurrency) is 1025: it must be from 1 to 1024.")]
    [InlineData(-3, "Worker:Concurrency (--concurrency) is -3: it must be from 1 to 1024.")]
    public void Validate_RefusesAConcurrencyOutOfRange(int concurrency, string expected)
    {
        Assert.Equal([expected], Validate(o => o.Concurrency = concurrency));
    }

    [Theory]
    [InlineData(-1, "Worker:Prefetch (--prefetch) is -1: it must be from 0 to 1024.")]
    [InlineData(1025, "Worker:Prefetch (--prefetch) is 1025: it must be from 0 to 1024.")]
    public void Validate_RefusesAPrefetchOutOfRange(int prefetch, string expected)
    {
        Assert.Equal([expected], Validate(o => o.Prefetch = prefetch));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    public void Validate_AcceptsThePrefetchBounds(int prefetch)
    {
        Assert.Empty(Validate(o => o.Prefetch = prefetch));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1024)]
    public void Validate_AcceptsTheConcurrencyBounds(int concurrency)
    {
        Assert.Empty(Validate(o => o.Concurrency = concurrency));
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(25.0)]
    [InlineData(-1.0)]
    public void Validate_RefusesALeaseWaitOutsideZeroToTwentySeconds(double seconds)
    {
        var error = Assert.Single(Validate(o => o.LeaseWait = TimeSpan.FromSeconds(seconds)));
        Assert.StartsWith("Worker:LeaseWait (--lease-wait)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(19.9)]
    public void Validate_AcceptsALeaseWaitUnderTwentySeconds(double seconds)
    {
        Assert.Empty(Validate(o =>
        {
            o.LeaseWait = TimeSpan.FromSeconds(seconds);
            o.ResponseTimeout = TimeSpan.FromSeconds(25);
        }));
    }

    [Theory]
    [InlineData(5.0, 4.5)]
    [InlineData(2.0, 3.0)]
    public void Validate_RefusesALeaseWaitWithinASecondOfTheResponseTimeout(double responseTimeout, double leaseWait)
    {
        var error = Assert.Single(Validate(o =>
        {
            o.ResponseTimeout = TimeSpan.FromSeconds(responseTimeout);
            o.LeaseWait = TimeSpan.FromSeconds(leaseWait);
        }));
        Assert.StartsWith("Worker:LeaseWait (--lease-wait)", error, StringComparison.Ordinal);
        Assert.Contains("--response-timeout", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("127.0.0.1:6379,connectTimeout=2000")]
    public void Validate_AcceptsARedisAddress_InsteadOfAGateway(string redis)
    {
        Assert.Empty(Validate(o =>
        {
            o.Redis = redis;
            o.Gateway = "";
        }));
    }

    [Fact]
    public void Validate_AcceptsSeveralGateways_SeparatedByCommas()
    {
        Assert.Empty(Validate(o => o.Gateway = "127.0.0.1:30000, 127.0.0.1:30001"));
    }

    [Fact]
    public void Validate_RefusesARedisAddressWithAnUnknownKey()
    {
        var error = Assert.Single(Validate(o => o.Redis = "127.0.0.1:6379,nosuchkey=1"));
        Assert.StartsWith("Worker:Redis (--redis)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesARedisAddressWhoseHostIsNoHostName()
    {
        // StackExchange.Redis parses it (hosts 'not a redis' and '='), and the worker used to try to connect to them.
        var error = Assert.Single(Validate(o => o.Redis = "not a redis,,="));
        Assert.Equal("Worker:Redis (--redis): 'not a redis' is not a Redis server's host name: expected host:port, e.g. 127.0.0.1:6379.", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("worker a")]
    [InlineData("   ")]
    public void Validate_RefusesAnUnusableName(string name)
    {
        var error = Assert.Single(Validate(o => o.Name = name));
        Assert.StartsWith("Worker:Name (--name)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nohost")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("")]
    public void Validate_RefusesAGatewayThatIsNotHostAndPort(string gateway)
    {
        var error = Assert.Single(Validate(o => o.Gateway = gateway));
        Assert.StartsWith("Worker:Gateway (--gateway)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesNegativeOrZeroTimings_AndNamesEach()
    {
        var errors = Validate(o =>
        {
            o.Grace = TimeSpan.FromSeconds(-1);
            o.HeartbeatInterval = TimeSpan.Zero;
            o.ConnectTimeout = TimeSpan.Zero;
        });

        Assert.Collection(
            errors,
            e => Assert.StartsWith("Worker:Grace (--grace) is -1 s", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Worker:HeartbeatInterval (--heartbeat) is 0 s", e, StringComparison.Ordinal),
            e => Assert.StartsWith("Worker:ConnectTimeout (--connect-timeout) is 0 s", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AcceptsAZeroGrace()
    {
        Assert.Empty(Validate(o => o.Grace = TimeSpan.Zero));
    }

    [Fact]
    public void Validate_RefusesAClusterIdWithOddCharacters()
    {
        var error = Assert.Single(Validate(o => o.ClusterId = "my cluster"));
        Assert.StartsWith("Worker:ClusterId (--cluster-id)", error, StringComparison.Ordinal);
    }
}
