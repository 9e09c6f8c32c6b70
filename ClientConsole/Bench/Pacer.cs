using System.Runtime.InteropServices;

namespace OrleansQueue.Cli.Bench;

/// <summary>
/// Blocks the calling thread until a <see cref="TimeProvider"/> timestamp, with sub-millisecond precision and no
/// busy-wait. .NET's timers are too coarse for a 1 ms schedule (a 1 ms <see cref="PeriodicTimer"/> fired 4.0 ms apart
/// on Linux here), so on Linux it sleeps in <c>usleep(3)</c>, as the node peers use a timed futex wait.
/// Only for a loop that has nothing else to do between two steps.
/// </summary>
internal static partial class Pacer
{
    public static void SleepUntil(long timestamp, TimeProvider time)
    {
        var remaining = time.GetElapsedTime(time.GetTimestamp(), timestamp);
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        if (OperatingSystem.IsLinux())
        {
            _ = USleep((uint)Math.Min(remaining.TotalMicroseconds, uint.MaxValue));
        }
        else
        {
            Thread.Sleep(remaining);
        }
    }

    [DllImport("libc", EntryPoint = "usleep")]
    private static extern int USleep(uint microseconds);
}
