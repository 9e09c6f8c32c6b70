using System.Runtime.InteropServices;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>POSIX signals. .NET can kill a process (SIGKILL) but has no API to interrupt one.</summary>
internal static partial class Signals
{
    public const int SigInt = 2;

    /// <summary>SIGCONT (Linux's number): a stopped process runs again.</summary>
    public const int SigCont = 18;

    /// <summary>SIGSTOP (Linux's number): the process stops until SIGCONT, as in a long pause of its machine.</summary>
    public const int SigStop = 19;

    /// <summary>SIGUSR1 (Linux's number), which puts beanstalkd in drain mode.</summary>
    public const int SigUsr1 = 10;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone.</summary>
    public static bool Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            throw new PlatformNotSupportedException("Sending SIGINT needs a POSIX system.");
        }

        return Kill(pid, signal) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
