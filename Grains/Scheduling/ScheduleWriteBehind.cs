using Microsoft.Extensions.Logging;
using OrleansQueue.Hosting;

namespace OrleansQueue.Scheduling;

/// <summary>
/// A shard's persistence, written behind: <see cref="Load"/> at activation, <see cref="RecordChange"/> whenever the
/// shard changes, <see cref="FlushIfDueAsync"/> on a timer and <see cref="FlushAsync"/> on deactivation.
/// <para>Today a flush writes a snapshot of the whole shard (O(n)), so a deep queue is written less often
/// (<see cref="QueueOptions.FlushIntervalFor"/>) and its cost per second stays flat. This class is the seam a per-shard
/// append-only journal replaces (issue 12): the shard only says what it holds and that it changed.</para>
/// <para>Writes never overlap: a flush while one is under way returns that one, and whatever changed meanwhile stays
/// recorded for the next flush. A failed write is logged and retried by the next flush.</para>
/// </summary>
public sealed partial class ScheduleWriteBehind(
    IPersistentState<ScheduleState> state,
    Func<ScheduleState> capture,
    QueueOptions options,
    TimeProvider time,
    ILogger logger,
    int shard)
{
    private bool _dirty;
    private Task _writing = Task.CompletedTask;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    /// <summary>True while a change is not yet written.</summary>
    public bool HasChanges => _dirty;

    /// <summary>What the shard held when it was last written.</summary>
    public ScheduleState Load() => state.State;

    /// <summary>The shard changed: the next due flush writes it.</summary>
    public void RecordChange() => _dirty = true;

    /// <summary>Writes when something changed and the interval for a shard of <paramref name="entries"/> entries passed.</summary>
    public Task FlushIfDueAsync(int entries) =>
        _dirty && time.GetUtcNow() - _lastWrite >= options.FlushIntervalFor(entries) ? WriteAsync() : Task.CompletedTask;

    /// <summary>Waits for a write under way, then writes what the shard holds now (deactivation).</summary>
    public async Task FlushAsync()
    {
        await _writing;
        await WriteAsync();
    }

    private Task WriteAsync()
    {
        if (!_writing.IsCompleted)
        {
            return _writing;
        }

        _dirty = false;
        _lastWrite = time.GetUtcNow();
        state.State = capture();
        return _writing = WriteSnapshotAsync();
    }

    private async Task WriteSnapshotAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _dirty = true;
            LogFlushFailed(logger, ex, shard);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing schedule shard {Shard} failed; it will be tried again")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int shard);
}
