using System.Runtime.InteropServices;

namespace OrleansQueue.Hosting;

/// <summary>
/// A process started in the background by a non-interactive shell (<c>silo &amp;</c> in a script) inherits SIGINT
/// as ignored, and .NET keeps an inherited "ignore" for SIGINT: <c>kill -INT</c>, the scripted Ctrl-C, would then
/// do nothing. Restoring the default before the host registers its handler makes SIGINT always mean a graceful stop.
/// </summary>
public static partial class InheritedSignals
{
    private const int SigInt = 2;
    private static readonly IntPtr SigDefault = IntPtr.Zero;
    private static readonly IntPtr SigIgnore = new(1);

    public static void RestoreInterrupt()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return;
        }

        try
        {
            var previous = Signal(SigInt, SigDefault);
            if (previous != SigIgnore)
            {
                // It was not ignored: put back whatever was there.
                Signal(SigInt, previous);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to ask: the inherited disposition stays.
        }
    }

    [DllImport("libc", EntryPoint = "signal")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
