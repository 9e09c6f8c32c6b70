using System.Diagnostics.Metrics;
using OrleansQueue.Diagnostics;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>The gateway's instruments, on the queue's <c>OrleansQueue</c> meter (so <c>/metrics</c> shows them):
/// connections open and refused, and commands by name.</summary>
public sealed class BeanstalkInstruments
{
    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _commands;

    public BeanstalkInstruments(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(QueueInstruments.MeterName);
        _open = meter.CreateUpDownCounter<long>("orleansqueue.beanstalk.connections", "{connection}", "Beanstalk protocol connections open.");
        _refused = meter.CreateCounter<long>("orleansqueue.beanstalk.connections.refused", "{connection}", "Connections closed at once because the gateway was at its connection cap.");
        _commands = meter.CreateCounter<long>("orleansqueue.beanstalk.commands", "{command}", "Commands received, by name; malformed ones as 'invalid'.");
    }

    public void Opened() => _open.Add(1);

    public void Closed() => _open.Add(-1);

    public void Refused() => _refused.Add(1);

    public void Command(string name) => _commands.Add(1, new KeyValuePair<string, object?>("command", name));
}
