namespace OrleansQueue.Hosting;

/// <summary>
/// The process exit codes of the three executables (console, worker host, silo). Scripts branch on these, so they are
/// part of the contract; a code means the same in every executable that uses it. The console's:
/// <list type="table">
/// <item><term>0</term><description><see cref="Success"/>: the command did what it was asked.</description></item>
/// <item><term>1</term><description><see cref="Refused"/>: the queue refused the operation (e.g. cancelling a
/// COMPLETED job, requeueing a PENDING one, a stale attempt), or an unexpected error occurred. A batch submit
/// (<c>submit --count</c> or <c>--file</c>) exits 1 when some of its jobs were not queued while others were (their ids
/// are printed, so running the same input again would queue those twice), or when the silo could not store some
/// (FAILED: sending them again may succeed). Each job not queued has an error line naming its place in the
/// input.</description></item>
/// <item><term>2</term><description><see cref="Usage"/>: usage or bad input: unknown command or option, a value that
/// is not a number or out of range, a malformed job id, a payload or jobs file that cannot be read, a jobs file with
/// a bad line (each is shown as <c>FILE:LINE: message</c>) or with no job, a value the silo refused (its validation
/// message is shown; for a batch submit, only when the silo refused values and queued none of its jobs). Nothing was
/// changed, so the corrected command can simply be run again.</description></item>
/// <item><term>3</term><description><see cref="NotFound"/>: no job has the given id.</description></item>
/// <item><term>4</term><description><see cref="SiloUnreachable"/>: the silo's gateway could not be reached within
/// the connect timeout, or the connection was lost during the call.</description></item>
/// <item><term>5</term><description><see cref="JobFailed"/>: <c>submit --wait</c> or <c>status --watch</c> followed the
/// job to its end and it ended FAILED or CANCELLED (its error is on stderr).</description></item>
/// <item><term>6</term><description><see cref="WaitTimedOut"/>: <c>--wait-timeout</c> passed before the job finished;
/// the job goes on.</description></item>
/// <item><term>7</term><description><see cref="WrongCluster"/>: the gateway answered, but belongs to another cluster
/// id (the message names it).</description></item>
/// <item><term>8</term><description><see cref="TlsMismatch"/>: one side speaks TLS and the other does not.</description></item>
/// <item><term>9</term><description><see cref="UntrustedCertificate"/>: the silo's certificate is not one this client
/// trusts (<c>--tls-ca</c>, <c>--tls-pin</c>).</description></item>
/// <item><term>10</term><description><see cref="CertificateRefused"/>: the silo asks for a client certificate (mutual
/// TLS) and this client gave none, or one it does not trust.</description></item>
/// <item><term>130</term><description><see cref="Interrupted"/>: Ctrl-C stopped following a job (128 + SIGINT, as a
/// shell reports it); the job goes on. Ctrl-C ends <c>watch</c> with 0: stopping is how a watch ends.</description></item>
/// </list>
/// In interactive mode the session's exit code is 0 when every command succeeded, otherwise the code of the
/// last command that failed.
/// <para>The worker host's: 0 stopped, 1 (<see cref="Refused"/>) its work failed, 2 bad arguments or configuration,
/// 4 the silo could not be reached within its connect timeout, 7 to 10 as the console's. The silo's: 0 stopped (or printed its help), 2 bad
/// arguments or configuration, 3 (<see cref="CannotListen"/>) a port is taken or cannot be bound.</para>
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Refused = 1;
    public const int Usage = 2;
    public const int NotFound = 3;

    /// <summary>The silo's 3: a port (silo, gateway or dashboard) is taken or cannot be bound. The console never ends
    /// with it (its 3 is <see cref="NotFound"/>).</summary>
    public const int CannotListen = 3;

    public const int SiloUnreachable = 4;
    public const int JobFailed = 5;
    public const int WaitTimedOut = 6;
    public const int WrongCluster = 7;
    public const int TlsMismatch = 8;
    public const int UntrustedCertificate = 9;
    public const int CertificateRefused = 10;
    public const int Interrupted = 130;
}
