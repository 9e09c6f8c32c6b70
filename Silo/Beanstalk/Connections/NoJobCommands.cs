using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>
/// The job commands while the queue does not offer them yet (named queues, integer ids, delay, bury and touch come
/// with issue 13's second step): each is answered <c>UNKNOWN_COMMAND</c>, the protocol's word for a command this
/// server does not know, after its line (and a <c>put</c>'s body) was read and checked like any other. Nothing is
/// stored, so nothing can be lost.
/// </summary>
internal sealed class NoJobCommands : IBeanstalkJobs
{
    public ValueTask<BeanstalkReply> ExecuteAsync(BeanstalkCommand command, BeanstalkSession session, CancellationToken clientGone) =>
        ValueTask.FromResult<BeanstalkReply>(BeanstalkReply.UnknownCommand);

    public ValueTask ConnectionClosedAsync(BeanstalkSession session) => ValueTask.CompletedTask;
}
