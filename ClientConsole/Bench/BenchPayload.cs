using System.Text;

namespace OrleansQueue.Cli.Bench;

/// <summary>The benchmarks' no-op job: the simulation handler reads <c>durationMs: 0</c> and returns at once;
/// <c>pad</c> brings the payload to the size the peers use (~100 bytes).</summary>
internal static class BenchPayload
{
    public const string JobType = "BENCH";

    private const string Head = "{\"durationMs\":0,\"pad\":\"";
    private const string Tail = "\"}";

    /// <summary>A payload of exactly <paramref name="bytes"/> bytes, or the bare no-op object if that is longer.</summary>
    public static byte[] Create(int bytes)
    {
        var pad = Math.Max(0, bytes - Head.Length - Tail.Length);
        return Encoding.UTF8.GetBytes(Head + new string('x', pad) + Tail);
    }

    /// <summary>Priorities 0..10 from a seeded generator, so every run submits the same sequence.</summary>
    public static int[] RandomPriorities(int count, int seed)
    {
        var random = new Random(seed);
        var priorities = new int[count];
        for (var i = 0; i < count; i++)
        {
            priorities[i] = random.Next(0, 11);
        }

        return priorities;
    }
}
