using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Batch;

/// <summary>The jobs of one batch submit, by number from 0, and where each one stands in the input, for messages.
/// <c>--count</c> makes its copies as they are sent, so a large count is never held in memory at once.</summary>
internal sealed class BatchJobs
{
    private readonly Func<int, JobSubmission> _job;
    private readonly Func<int, int?> _line;
    private readonly Func<int, string> _where;

    private BatchJobs(int count, Func<int, JobSubmission> job, Func<int, int?> line, Func<int, string> where)
    {
        Count = count;
        _job = job;
        _line = line;
        _where = where;
    }

    public int Count { get; }

    /// <summary><c>--count</c>: the same job <paramref name="count"/> times; messages say "job 7 of 100".</summary>
    public static BatchJobs Copies(JobSubmission job, int count) =>
        new(count, _ => job, _ => null, i => $"job {i + 1} of {count}");

    /// <summary><c>--file</c>: the file's jobs; messages say "FILE:LINE", as for a bad line.</summary>
    public static BatchJobs FromFile(string name, IReadOnlyList<NumberedJob> jobs) =>
        new(jobs.Count, i => jobs[i].Job, i => jobs[i].Line, i => $"{name}:{jobs[i].Line}");

    public JobSubmission Job(int index) => _job(index);

    /// <summary>The job's line in the file, or null when it did not come from one.</summary>
    public int? Line(int index) => _line(index);

    /// <summary>Where the job stands in the input, as messages name it.</summary>
    public string Where(int index) => _where(index);
}
