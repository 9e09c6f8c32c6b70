using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Silo.Beanstalk.Connections;
using OrleansQueue.Silo.Beanstalk.Hosting;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Tests.Beanstalk;

/// <summary>The listener's protection of the silo: a cap on connections, and an end to a client that stalls.</summary>
public sealed class BeanstalkListenerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Socket> _clients = [];
    private BeanstalkListener? _listener;

    private int Port => _listener!.LocalEndPoint!.Port;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        if (_listener is not null)
        {
            await _listener.StopAsync(CancellationToken.None).WaitAsync(Timeout);
            _listener.Dispose();
        }

        await _services.DisposeAsync();
    }

    private async Task StartAsync(int maxConnections = 100, TimeSpan? drainTimeout = null)
    {
        var port = FreePort();
        var options = new BeanstalkOptions
        {
            Port = port, MaxConnections = maxConnections, StalledCommandTimeout = TimeSpan.FromSeconds(5), DrainTimeout = drainTimeout ?? TimeSpan.Zero,
        };
        _listener = new BeanstalkListener(Options.Create(options), new NoJobs(),
            new BeanstalkInstruments(_services.GetRequiredService<IMeterFactory>()), new GatewayRegistry(), _time, NullLogger<BeanstalkListener>.Instance);
        await _listener.StartAsync(CancellationToken.None);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _clients.Add(socket);
        await socket.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(Timeout);
        return socket;
    }

    private static async Task<string> AskAsync(Socket socket, string line)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        return await ReadAsync(socket);
    }

    /// <summary>What the server sends next; empty when it closed the connection.</summary>
    private static async Task<string> ReadAsync(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Timeout);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (SocketException)
        {
            return "";
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task ConnectionOverTheCap_IsClosed_TheOthersAreServed_AndOneEndingMakesRoom()
    {
        await StartAsync(maxConnections: 2);
        var first = await ConnectAsync();
        var second = await ConnectAsync();
        Assert.Equal("USING default\r\n", await AskAsync(first, "list-tube-used"));
        Assert.Equal("USING default\r\n", await AskAsync(second, "list-tube-used"));

        var third = await ConnectAsync();
        Assert.Equal("", await ReadAsync(third));

        await AskAsync(first, "quit");
        var served = false;
        for (var i = 0; i < 50 && !served; i++)
        {
            // The slot frees once the first connection's loop has ended; until then a new one is still refused.
            var next = await ConnectAsync();
            served = await AskAsync(next, "list-tube-used") == "USING default\r\n";
        }

        Assert.True(served, "a connection was served after one of the two ended");
        Assert.Equal("USING default\r\n", await AskAsync(second, "list-tube-used"));
    }

    [Fact]
    public async Task ClientSendingHalfACommand_IsClosedAfterTheStallTimeout_AnIdleOneIsNot()
    {
        await StartAsync();
        var stalled = await ConnectAsync();
        var idle = await ConnectAsync();
        Assert.Equal("USING default\r\n", await AskAsync(idle, "list-tube-used"));
        Assert.Equal("USING default\r\n", await AskAsync(stalled, "list-tube-used"));
        await stalled.SendAsync("put 0 0 1 10\r\nabc"u8.ToArray());
        var closed = ReadAsync(stalled);

        // Advanced until the stall timer, armed once the connection's reader has seen the half command, fires.
        for (var i = 0; i < 200 && !closed.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(6));
            await Task.WhenAny(closed, Task.Delay(20));
        }

        Assert.Equal("", await closed);
        Assert.Equal("USING default\r\n", await AskAsync(idle, "list-tube-used"));
    }

    /// <summary>A connection open (its put answered by the jobs, here UNKNOWN_COMMAND) when the listener starts to stop,
    /// which then answers its put DRAINING.</summary>
    private async Task<(Socket Client, Task Stopping)> StopWithAConnectionOpenAsync()
    {
        await StartAsync(drainTimeout: TimeSpan.FromMinutes(1));
        var client = await ConnectAsync();
        Assert.Equal("UNKNOWN_COMMAND\r\n", await AskAsync(client, "put 0 0 10 1\r\nx"));

        var stopping = _listener!.StopAsync(CancellationToken.None);

        Assert.Equal("DRAINING\r\n", await AskAsync(client, "put 0 0 10 1\r\nx"));
        return (client, stopping);
    }

    [Fact]
    public async Task Stopping_AnswersPutDraining_WhileAnOpenConnectionGoesOn_UntilItsClientClosesIt()
    {
        var (client, stopping) = await StopWithAConnectionOpenAsync();

        // Every other command goes on (here the jobs answer UNKNOWN_COMMAND to all of theirs).
        Assert.Equal("USING emails\r\n", await AskAsync(client, "use emails"));
        Assert.Equal("UNKNOWN_COMMAND\r\n", await AskAsync(client, "reserve-with-timeout 0"));
        Assert.False(stopping.IsCompleted);
        client.Dispose();
        await stopping.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Stopping_EndsTheConnectionsStillOpen_WhenTheDrainTimeoutRunsOut()
    {
        var (client, stopping) = await StopWithAConnectionOpenAsync();

        for (var i = 0; i < 200 && !stopping.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(stopping, Task.Delay(20));
        }

        await stopping.WaitAsync(Timeout);
        Assert.Equal("", await ReadAsync(client));
    }

    [Fact]
    public async Task TakenPort_IsAPortTakenException()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var listener = new BeanstalkListener(Options.Create(new BeanstalkOptions { Port = port }), new NoJobs(),
            new BeanstalkInstruments(_services.GetRequiredService<IMeterFactory>()), new GatewayRegistry(), _time, NullLogger<BeanstalkListener>.Instance);
        var error = await Assert.ThrowsAsync<PortTakenException>(() => listener.StartAsync(CancellationToken.None));
        Assert.Contains($"beanstalk port {port}", error.Message, StringComparison.Ordinal);
    }
}
