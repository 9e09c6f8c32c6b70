namespace OrleansQueue.Client;

/// <summary>Why a client could not join the cluster when its gateway (or, in Redis mode, Redis) told why: the one line
/// the user sees and the exit code that tells the cause apart (<see cref="Hosting.ExitCodes"/>).</summary>
public sealed record ConnectRefusal(int ExitCode, string Message);
