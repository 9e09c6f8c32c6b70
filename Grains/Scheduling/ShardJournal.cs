using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansQueue.Hosting;

namespace OrleansQueue.Scheduling;

/// <summary>
/// A schedule shard's persistence: an append-only journal with group commit and compaction, kept in the queue's grain
/// storage (this silo's memory, Orleans' memory storage or Redis) as numbered entries after a head.
/// <list type="bullet">
/// <item>The head (<see cref="ShardJournalHead"/>) holds the last snapshot and the number of the last entry it covers;
/// entries (<see cref="ShardJournalRecord"/>) are numbered from there on and hold where each changed job now is.</item>
/// <item>Group commit: <see cref="CommitAsync"/> returns when everything the shard changed so far is written. One write
/// is in flight at a time; callers that arrive meanwhile share the next one, so under load an entry carries many
/// changes and a write costs one storage round trip whatever the queue's depth. Changes nobody waits for are written
/// by <see cref="FlushAsync"/> on the shard's timer.</item>
/// <item>Compaction: once the entries since the snapshot name more jobs than twice the shard holds (and at least
/// <see cref="QueueOptions.CompactAfterEntries"/>), a new snapshot is written beside the appends and the entries it
/// covers are deleted (those whose deletion failed, with the next compaction): a write costs O(changes), a snapshot
/// O(held) once per O(held) changes.</item>
/// <item>Ownership: an entry is only ever created, never overwritten. An activation claims the journal by writing the
/// next entry when it loads; an older activation's next write then finds that number taken by another writer and stops
/// (<see cref="ShardJournalFencedException"/>), so two activations can never both extend the journal.</item>
/// <item>A write whose outcome is unknown (the storage failed to answer) is checked by reading the entry back: written
/// by this activation, it counts; absent, the changes are written again with the next write.</item>
/// </list>
/// </summary>
public sealed partial class ShardJournal(
    IGrainStorage storage,
    ShardLedger ledger,
    QueueOptions options,
    ILogger logger,
    int shard)
{
    private const string StateName = "schedule";
    private const string GrainType = "oq-journal";
    private const int ReadAhead = 32;

    private readonly Guid _writer = Guid.NewGuid();
    private readonly List<(long Number, string? ETag)> _entries = [];
    private readonly List<(long Number, string? ETag)> _undeleted = [];
    private readonly GrainState<ShardJournalHead> _head = new(new ShardJournalHead());
    private long _last;
    private long _sinceSnapshot;
    private ShardJournalRecord? _unwritten;
    private TaskCompletionSource? _next;
    private Task _writing = Task.CompletedTask;
    private Task _compacting = Task.CompletedTask;
    private bool _fenced;
    private bool _confirm;

    /// <summary>The number of the last entry written (or claimed) by this activation.</summary>
    public long LastEntry => _last;

    /// <summary>Reads the head and every entry after it, claims the journal, and returns the shard's books.</summary>
    /// <exception cref="ShardJournalFencedException">Another activation claimed it while this one was loading.</exception>
    public async Task<ScheduleState> LoadAsync()
    {
        await storage.ReadStateAsync(StateName, HeadId, _head);
        _head.State ??= new ShardJournalHead();
        _last = _head.State.SnapshotThrough;
        var records = new List<ShardJournalRecord>();
        while (true)
        {
            var batch = await Task.WhenAll(Enumerable.Range(1, ReadAhead).Select(i => ReadEntryAsync(_last + i)));
            var present = batch.TakeWhile(e => e.RecordExists).ToList();
            foreach (var entry in present)
            {
                records.Add(entry.State!);
                _entries.Add((++_last, entry.ETag));
                _sinceSnapshot += entry.State!.Size;
            }

            if (present.Count < ReadAhead)
            {
                break;
            }
        }

        // The claim: an entry at the next number. Writing it fails if another activation got there first.
        await AppendAsync(new ShardJournalRecord());
        return ShardJournalReplay.Fold(_head.State.Snapshot, records);
    }

    /// <summary>Returns once every change the shard made before this call is written: the point at which a submit is
    /// acknowledged. Concurrent callers share one write.</summary>
    public Task CommitAsync()
    {
        if (_fenced)
        {
            return Task.FromException(new ShardJournalFencedException(shard));
        }

        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = _next.Task;
        if (_writing.IsCompleted)
        {
            _writing = WriteLoopAsync();
        }

        return committed;
    }

    /// <summary>Like <see cref="CommitAsync"/>, but writes an entry even when nothing changed, so that the activation
    /// learns whether it still holds the journal (<see cref="ShardJournalFencedException"/> when another has claimed it).</summary>
    public Task ConfirmAsync()
    {
        _confirm = true;
        return CommitAsync();
    }

    /// <summary>Writes what changed unless a write is under way (the shard's timer); a failure is logged, and the
    /// changes are written with the next write.</summary>
    public Task FlushAsync() =>
        _writing.IsCompleted && !_fenced ? CommitAsync().ContinueWith(static _ => { }, TaskScheduler.Current) : Task.CompletedTask;

    /// <summary>True once another activation claimed the journal: this one must deactivate.</summary>
    public bool IsFenced => _fenced;

    /// <summary>Deactivation: waits for the writes under way and writes what is left.</summary>
    public async Task CloseAsync()
    {
        await _writing;
        if (!_fenced)
        {
            await FlushAsync();
        }

        await _compacting;
    }

    private async Task WriteLoopAsync()
    {
        while (_next is { } waiters)
        {
            _next = null;
            var changes = ledger.TakeChanges();
            var record = _unwritten is null ? changes : changes is null ? _unwritten : _unwritten.Then(changes);
            if (record is null && _confirm)
            {
                record = new ShardJournalRecord();
            }

            _confirm = false;
            if (record is null)
            {
                waiters.SetResult();
                continue;
            }

            try
            {
                _unwritten = record;
                await AppendAsync(record);
                _unwritten = null;
                waiters.SetResult();
                CompactIfDue();
            }
            catch (Exception ex)
            {
                waiters.SetException(ex);
                if (ex is ShardJournalFencedException)
                {
                    // Nothing more is written by this activation: whoever waits for a later write learns it now.
                    _fenced = true;
                    _next?.SetException(ex);
                    _next = null;
                    LogFenced(logger, shard);
                    return;
                }

                LogWriteFailed(logger, ex, shard);
            }
        }
    }

    /// <summary>Creates the next entry. An entry is never overwritten: finding the number taken by another writer means
    /// this activation lost the journal.</summary>
    private async Task AppendAsync(ShardJournalRecord record)
    {
        record.Writer = _writer;
        var number = _last + 1;
        var state = new GrainState<ShardJournalRecord>(record);
        try
        {
            await storage.WriteStateAsync(StateName, EntryId(number), state);
        }
        catch (Exception ex)
        {
            // The write may have been done and only its answer lost: read what the number holds now.
            GrainState<ShardJournalRecord> existing;
            try
            {
                existing = await ReadEntryAsync(number);
            }
            catch (Exception)
            {
                throw ex is InconsistentStateException ? new ShardJournalFencedException(shard, ex) : ex;
            }

            if (!existing.RecordExists)
            {
                throw;
            }

            if (existing.State!.Writer != _writer)
            {
                _fenced = true;
                throw new ShardJournalFencedException(shard, ex);
            }

            // An earlier write of this activation that failed to answer was done after all: keep it, go after it.
            Appended(number, existing.ETag, existing.State!.Size);
            number++;
            state = new GrainState<ShardJournalRecord>(record);
            try
            {
                await storage.WriteStateAsync(StateName, EntryId(number), state);
            }
            catch (InconsistentStateException fenced)
            {
                _fenced = true;
                throw new ShardJournalFencedException(shard, fenced);
            }
        }

        Appended(number, state.ETag, record.Size);
    }

    private void Appended(long number, string? etag, int size)
    {
        _entries.Add((number, etag));
        _last = number;
        _sinceSnapshot += size;
    }

    private void CompactIfDue()
    {
        if (!_compacting.IsCompleted || _sinceSnapshot < Math.Max(options.CompactAfterEntries, 2L * ledger.Count))
        {
            return;
        }

        // Taken right after entry _last was written and before the next is built, so the snapshot holds everything the
        // entries up to _last hold (and maybe changes the next entry will repeat: replaying them again is harmless).
        var snapshot = ledger.Capture();
        var through = _last;
        var covered = _entries.ToList();
        _entries.Clear();
        _sinceSnapshot = 0;
        _compacting = CompactAsync(snapshot, through, covered);
    }

    private async Task CompactAsync(ScheduleState snapshot, long through, List<(long Number, string? ETag)> covered)
    {
        try
        {
            _head.State = new ShardJournalHead { SnapshotThrough = through, Snapshot = snapshot };
            await storage.WriteStateAsync(StateName, HeadId, _head);
        }
        catch (Exception ex)
        {
            // The entries stay needed: keep them for the next compaction.
            _entries.InsertRange(0, covered);
            _sinceSnapshot += options.CompactAfterEntries;
            if (ex is InconsistentStateException)
            {
                _fenced = true;
            }

            LogCompactionFailed(logger, ex, shard);
            return;
        }

        // Entries older than the head are never read again: those whose deletion failed last time go with these.
        var deletable = _undeleted.Concat(covered).ToList();
        _undeleted.Clear();
        for (var from = 0; from < deletable.Count; from += 64)
        {
            var results = await Task.WhenAll(deletable.Skip(from).Take(64).Select(DeleteEntryAsync));
            if (results.OfType<Exception>().FirstOrDefault() is { } failed)
            {
                _undeleted.AddRange(deletable.Skip(from));
                LogCleanupFailed(logger, failed, shard, deletable.Count - from);
                return;
            }
        }

        LogCompacted(logger, shard, through, snapshot.Pending.Count + snapshot.Leases.Count, deletable.Count);
    }

    /// <summary>Deletes an entry the head covers; its failure, if it failed. A version conflict means it is gone already
    /// (an earlier deletion whose answer was lost): a number the head covers is never written again.</summary>
    private async Task<Exception?> DeleteEntryAsync((long Number, string? ETag) entry)
    {
        try
        {
            await storage.ClearStateAsync(StateName, EntryId(entry.Number), new GrainState<ShardJournalRecord>(new ShardJournalRecord()) { ETag = entry.ETag });
            return null;
        }
        catch (InconsistentStateException)
        {
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private async Task<GrainState<ShardJournalRecord>> ReadEntryAsync(long number)
    {
        var state = new GrainState<ShardJournalRecord>(new ShardJournalRecord());
        await storage.ReadStateAsync(StateName, EntryId(number), state);
        return state;
    }

    private GrainId HeadId => GrainId.Create(GrainType, $"{shard}");

    private GrainId EntryId(long number) => GrainId.Create(GrainType, $"{shard}-{number}");

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the journal of schedule shard {Shard} failed; its changes will be written with the next write")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule shard {Shard}: another activation has claimed its journal; this one stops writing and deactivates")]
    private static partial void LogFenced(ILogger logger, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting the journal of schedule shard {Shard} failed; it will be tried again")]
    private static partial void LogCompactionFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting compacted journal entries of schedule shard {Shard} failed; {Left} are left, never read again, and deleted with the next compaction")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, int shard, int left);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Schedule shard {Shard}: journal compacted through entry {Through} ({Held} jobs in the snapshot, {Deleted} entries deleted)")]
    private static partial void LogCompacted(ILogger logger, int shard, long through, int held, int deleted);
}

/// <summary>Another activation of the shard claimed its journal: this one must stop and deactivate.</summary>
public sealed class ShardJournalFencedException : Exception
{
    public ShardJournalFencedException(int shard, Exception? inner = null)
        : base($"Schedule shard {shard} is now owned by another activation; this one no longer writes.", inner)
    {
    }

    public ShardJournalFencedException()
    {
    }

    public ShardJournalFencedException(string message) : base(message)
    {
    }

    public ShardJournalFencedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
