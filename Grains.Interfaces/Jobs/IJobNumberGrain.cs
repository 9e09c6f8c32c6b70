namespace OrleansQueue.Jobs;

/// <summary>
/// Hands out integer job numbers (<see cref="JobNumbers"/>) in ranges, so a gateway asks once per range, not once per
/// job. One activation (key 0) owns the counter; a range is stored before it is handed out, so no number is given
/// twice, even across restarts with durable storage. A range a gateway did not use up is skipped: numbers are
/// unique and increasing per gateway, not dense.
/// </summary>
[Alias("oq.IJobNumberGrain")]
public interface IJobNumberGrain : IGrainWithIntegerKey
{
    /// <summary>The most numbers one call may reserve.</summary>
    const int MaxRange = 100_000;

    /// <summary>Reserves <paramref name="count"/> numbers (1 to <see cref="MaxRange"/>) and returns the first.</summary>
    [Alias("Reserve")]
    Task<ulong> Reserve(int count);
}
