using Xunit.Abstractions;
using Xunit.Sdk;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>Fixture output goes to the runner's diagnostic messages: a fixture has no test output of its own.</summary>
public sealed class MessageSinkOutput(IMessageSink sink) : ITestOutputHelper
{
    public void WriteLine(string message) => sink.OnMessage(new DiagnosticMessage(message));

    public void WriteLine(string format, params object[] args) => sink.OnMessage(new DiagnosticMessage(format, args));
}
