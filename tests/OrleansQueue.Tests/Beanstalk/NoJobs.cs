using OrleansQueue.Silo.Beanstalk.Connections;
using OrleansQueue.Silo.Beanstalk.Protocol;

namespace OrleansQueue.Tests.Beanstalk;

/// <summary>For the listener's tests, which are about connections, not jobs: every job command is answered
/// <c>UNKNOWN_COMMAND</c> after its line (and a put's body) was read and checked.</summary>
internal sealed class NoJobs : IBeanstalkJobs
{
    public ValueTask<BeanstalkReply> ExecuteAsync(BeanstalkCommand command, BeanstalkSession session, CancellationToken clientGone) =>
        ValueTask.FromResult<BeanstalkReply>(BeanstalkReply.UnknownCommand);

    public ValueTask ConnectionClosedAsync(BeanstalkSession session) => ValueTask.CompletedTask;
}
