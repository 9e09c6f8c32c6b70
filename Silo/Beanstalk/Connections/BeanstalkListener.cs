using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OrleansQueue.Silo.Beanstalk.Hosting;
using OrleansQueue.Silo.Beanstalk.Protocol;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>
/// Listens for beanstalkd-protocol clients at <see cref="BeanstalkOptions.Bind"/>:<see cref="BeanstalkOptions.Port"/>
/// and serves each connection on its own (<see cref="BeanstalkConnection"/>), up to
/// <see cref="BeanstalkOptions.MaxConnections"/> at once: a connection over the cap is closed as soon as it is
/// accepted. Registered after Orleans, so it starts listening once the silo serves grains, and stops first.
/// <para>Stopping drains first (beanstalkd's drain mode): no new connection is accepted and a <c>put</c> is answered
/// <c>DRAINING</c>, while the open connections go on (reserving, deleting the jobs there) until their clients close
/// them or <see cref="BeanstalkOptions.DrainTimeout"/> runs out; then the connections still open are ended.</para>
/// </summary>
internal sealed partial class BeanstalkListener(
    IOptions<BeanstalkOptions> options,
    IBeanstalkJobs jobs,
    BeanstalkInstruments instruments,
    GatewayRegistry registry,
    TimeProvider time,
    ILogger<BeanstalkListener> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _accepting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _lastId;
    private int _open;
    private bool _atCap;

    /// <summary>Where it listens once started (the port actually bound), for logs and tests.</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var beanstalk = options.Value;
        if (!beanstalk.Enabled)
        {
            LogOff();
            return Task.CompletedTask;
        }

        var endpoint = new IPEndPoint(beanstalk.GetBindAddress(), beanstalk.Port);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            PortProbe.AllowTimeWait(listener);
            listener.Bind(endpoint);
            listener.Listen(512);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            // Taken between the port check and now: the same one line and exit code as the check's.
            throw new PortTakenException(
                $"the silo could not listen on beanstalk port {beanstalk.Port} ({beanstalk.Bind}): {ex.Message.TrimEnd('.')}. " +
                "Choose another with --beanstalk-port N, or turn the gateway off with --beanstalk-port 0.");
        }

        _listener = listener;
        var parser = new CommandParser(beanstalk.MaxJobSize);
        _acceptLoop = AcceptAsync(listener, parser, beanstalk);
        LogListening(beanstalk.Bind, LocalEndPoint!.Port, beanstalk.MaxJobSize, beanstalk.MaxConnections);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
        {
            return;
        }

        registry.StartDraining();
        await _accepting.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        var drain = options.Value.DrainTimeout;
        if (drain > TimeSpan.Zero && !_connections.IsEmpty)
        {
            LogDraining(_connections.Count, drain);
            try
            {
                await Task.WhenAll(_connections.Values).WaitAsync(drain, time, cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // Drained long enough: the connections still open are ended below.
            }
        }

        await _stopping.CancelAsync();
        // Each connection ends its command and hands back its reservations; the host's stop timeout bounds the wait.
        await Task.WhenAll(_connections.Values).WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _accepting.Dispose();
        _stopping.Dispose();
        _listener?.Dispose();
    }

    private async Task AcceptAsync(Socket listener, CommandParser parser, BeanstalkOptions beanstalk)
    {
        while (!_accepting.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_accepting.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (_accepting.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection reset before it was accepted, or the process is out of descriptors: go on accepting.
                LogAcceptFailed(ex.SocketErrorCode);
                continue;
            }

            if (Interlocked.Increment(ref _open) > beanstalk.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                instruments.Refused();
                if (!_atCap)
                {
                    _atCap = true;
                    LogAtCap(beanstalk.MaxConnections);
                }

                client.Dispose();
                continue;
            }

            _atCap = false;
            client.NoDelay = true;
            var id = ++_lastId;
            var session = new BeanstalkSession(id, registry);
            var connection = new BeanstalkConnection(client, session, parser, jobs, beanstalk.StalledCommandTimeout, time, instruments, registry, logger);
            _connections[id] = ServeAsync(id, connection);
        }
    }

    private async Task ServeAsync(long id, BeanstalkConnection connection)
    {
        instruments.Opened();
        try
        {
            // Off the accept loop at once: a connection never delays the next accept.
            await Task.Yield();
            await connection.RunAsync(_stopping.Token);
        }
        catch (Exception ex)
        {
            LogConnectionFailed(ex, id);
        }
        finally
        {
            instruments.Closed();
            Interlocked.Decrement(ref _open);
            _connections.TryRemove(id, out _);
        }
    }
}
