using System.Collections.Immutable;
using OrleansQueue.Jobs;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>
/// The gateway's reports (delete, release, bury of a reservation; hand-backs), sent in batches through one
/// <see cref="IReportGrain.Report"/> call at a time, group-commit style: reports that come while a call is under way
/// wait for the next one, so under load one call carries those of every connection, and when idle a report goes at
/// once. Each report gets its own reply (or the call's exception).
/// </summary>
internal sealed class ReportBatcher(Func<ImmutableArray<AttemptReport>, Task<ImmutableArray<ReportReply?>>> report)
{
    private readonly Lock _lock = new();
    private readonly List<(AttemptReport Report, TaskCompletionSource<ReportReply?> Reply)> _queued = [];
    private bool _sending;

    /// <summary>Sends the reports in the next batch; their replies, in order.</summary>
    public Task<ReportReply?[]> ReportAsync(IEnumerable<AttemptReport> reports)
    {
        var replies = new List<Task<ReportReply?>>();
        bool start;
        lock (_lock)
        {
            foreach (var one in reports)
            {
                var reply = new TaskCompletionSource<ReportReply?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _queued.Add((one, reply));
                replies.Add(reply.Task);
            }

            start = !_sending && _queued.Count > 0;
            _sending |= start;
        }

        if (start)
        {
            _ = SendAsync();
        }

        return Task.WhenAll(replies);
    }

    /// <summary>Sends what is queued, batch after batch, until nothing is; never throws (a failed call fails its
    /// reports only).</summary>
    private async Task SendAsync()
    {
        while (true)
        {
            List<(AttemptReport Report, TaskCompletionSource<ReportReply?> Reply)> batch;
            lock (_lock)
            {
                if (_queued.Count == 0)
                {
                    _sending = false;
                    return;
                }

                batch = _queued[..Math.Min(_queued.Count, IReportGrain.MaxBatch)];
                _queued.RemoveRange(0, batch.Count);
            }

            try
            {
                var replies = await report([.. batch.Select(b => b.Report)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Reply.TrySetResult(replies[i]);
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(b => b.Reply.TrySetException(ex));
            }
        }
    }
}
