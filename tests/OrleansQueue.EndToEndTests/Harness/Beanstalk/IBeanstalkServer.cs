namespace OrleansQueue.EndToEndTests.Harness.Beanstalk;

/// <summary>A server that speaks the beanstalkd protocol on a loopback port: the silo's gateway, or a real beanstalkd.
/// The protocol tests run against both, so that where they disagree the real one says which is right.</summary>
public interface IBeanstalkServer
{
    /// <summary>For messages: "gateway" or "beanstalkd".</summary>
    string Name { get; }

    int Port { get; }

    /// <summary>The process's output, attached to a failure.</summary>
    string Describe();
}
