using System.Collections.Immutable;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>
/// The gateway's calls that carry many items (puts into one submit batch; deletes, releases, buries and hand-backs into
/// one report batch), sent through one call at a time, group-commit style: items that come while a call is under way
/// wait for the next one, so under load one call carries those of every connection (and of one connection's pipelined
/// commands), and when idle an item goes at once. Items go in the order they came, each call holds at most
/// <paramref name="maxBatch"/> of them, and each item gets its own result (or the call's exception).
/// </summary>
internal sealed class CallBatcher<TItem, TResult>(Func<ImmutableArray<TItem>, Task<ImmutableArray<TResult>>> send, int maxBatch)
{
    private readonly Lock _lock = new();
    private readonly List<(TItem Item, TaskCompletionSource<TResult> Result)> _queued = [];
    private bool _sending;

    /// <summary>Sends <paramref name="item"/> in the next batch; its result.</summary>
    public async Task<TResult> SendAsync(TItem item) => (await SendAllAsync([item]))[0];

    /// <summary>Sends the items in the next batch, in their order; their results, in order.</summary>
    public Task<TResult[]> SendAllAsync(IEnumerable<TItem> items)
    {
        var results = new List<Task<TResult>>();
        bool start;
        lock (_lock)
        {
            foreach (var item in items)
            {
                var result = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _queued.Add((item, result));
                results.Add(result.Task);
            }

            start = !_sending && _queued.Count > 0;
            _sending |= start;
        }

        if (start)
        {
            _ = SendQueuedAsync();
        }

        return Task.WhenAll(results);
    }

    /// <summary>Sends what is queued, batch after batch, until nothing is; never throws (a failed call fails its
    /// items only).</summary>
    private async Task SendQueuedAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Result)> batch;
            lock (_lock)
            {
                if (_queued.Count == 0)
                {
                    _sending = false;
                    return;
                }

                batch = _queued[..Math.Min(_queued.Count, maxBatch)];
                _queued.RemoveRange(0, batch.Count);
            }

            try
            {
                var results = await send([.. batch.Select(b => b.Item)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(b => b.Result.TrySetException(ex));
            }
        }
    }
}
