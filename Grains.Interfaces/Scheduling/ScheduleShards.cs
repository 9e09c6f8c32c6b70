namespace OrleansQueue.Scheduling;

/// <summary>Maps a job to the schedule shard that indexes it. The mapping only depends on the id, so a
/// job grain, a client and a test all agree without asking anyone.</summary>
public static class ScheduleShards
{
    public static int Of(Guid jobId, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        if (shardCount == 1)
        {
            return 0;
        }

        // The low bytes of a v7 GUID are random, so they spread jobs evenly.
        Span<byte> bytes = stackalloc byte[16];
        jobId.TryWriteBytes(bytes);
        var low = BitConverter.ToUInt32(bytes[12..]);
        return (int)(low % (uint)shardCount);
    }
}
