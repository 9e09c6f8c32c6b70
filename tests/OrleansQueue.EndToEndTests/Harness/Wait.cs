namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>Polling for a condition with a bounded timeout: the only way tests wait for the system.</summary>
public static class Wait
{
    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(200);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? poll = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await UntilAsync(condition, done => done, timeout, what, poll);
    }

    /// <summary>Probes until <paramref name="done"/> holds and returns the value that satisfied it. On timeout the
    /// message shows the last value seen, which usually says why.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? poll = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var giveUpAt = DateTime.UtcNow + timeout;
        var last = default(T);
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not TimeoutException)
            {
                // A probe may fail while the system settles (e.g. a client that is still connecting); keep the error.
                lastError = ex;
            }

            if (DateTime.UtcNow >= giveUpAt)
            {
                var seen = lastError is not null ? $"the last probe failed: {lastError.Message}" : $"last seen: {last}";
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting until {what}; {seen}", lastError);
            }

            await Task.Delay(poll ?? DefaultPoll);
        }
    }
}
