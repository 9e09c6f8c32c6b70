using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>Every process the tests started and have not yet seen exit. Last resort against leaks: when the
/// test host exits without disposing a cluster (a crash, an aborted run), whatever is left is killed.</summary>
internal static class ProcessRegistry
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    static ProcessRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Add(Process process) => Live[process.Id] = process;

    public static void Remove(int pid) => Live.TryRemove(pid, out _);

    public static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        Live.Clear();
    }
}
