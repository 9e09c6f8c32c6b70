using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>The job commands of the protocol (everything but a connection's own tube state, which
/// <see cref="BeanstalkSession"/> answers), carried out on the queue.</summary>
public interface IBeanstalkJobs
{
    /// <summary>Carries out <paramref name="command"/> for the connection <paramref name="session"/> describes.
    /// <paramref name="clientGone"/> is cancelled when the client closes the connection, so a waiting
    /// <c>reserve</c> gives up.</summary>
    ValueTask<BeanstalkReply> ExecuteAsync(BeanstalkCommand command, BeanstalkSession session, CancellationToken clientGone);

    /// <summary>The connection closed: whatever it had reserved goes back to ready at once.</summary>
    ValueTask ConnectionClosedAsync(BeanstalkSession session);
}
