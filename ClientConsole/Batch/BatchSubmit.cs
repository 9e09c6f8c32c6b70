using System.Text;
using OrleansQueue.Cli.Commands;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Cli.Output;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Batch;

/// <summary>
/// Sends the jobs of <c>submit --count</c> or <c>submit --file</c> through the batch path, in order, and prints the
/// queued jobs' ids one a line (or every job's outcome as JSON, <see cref="OrleansQueue.Contracts.SubmitOutcomeDocument"/>) and one error line per
/// job the silo did not queue, naming where the job stands in the input. A job whose call got no answer may be queued:
/// it is never one of the jobs not queued, and its line, with its id, is written however many there are.
/// </summary>
internal static class BatchSubmit
{
    /// <summary>Jobs per submit call (at most <see cref="ISubmitGrain.MaxBatch"/>).</summary>
    public const int BatchSize = 1000;

    /// <summary>Jobs handed to the client at once. Chunks bound the memory a large <c>--count</c> needs, and let ids
    /// appear as their jobs are queued instead of all at the end; one call in flight keeps the order either way.</summary>
    private const int ChunkSize = 100 * BatchSize;

    /// <summary>Returns <see cref="ExitCodes.Success"/> when every job was queued; otherwise
    /// <see cref="ExitCodes.Usage"/> when nothing was queued because the silo refused values (nothing changed, as for one
    /// refused submit), and <see cref="ExitCodes.Refused"/> when some jobs were queued, could not be stored or got no
    /// answer.</summary>
    public static async Task<int> RunAsync(CliContext context, IJobQueue queue, BatchJobs jobs, bool asJson, CancellationToken cancellationToken)
    {
        var notQueued = new ErrorLines(context.Error, "jobs not queued");
        var queued = 0;
        var failed = 0;
        var unknown = 0;
        using var json = asJson ? new JsonArrayStream(context.Output) : null;
        for (var start = 0; start < jobs.Count; start += ChunkSize)
        {
            var chunk = Enumerable.Range(start, Math.Min(ChunkSize, jobs.Count - start)).Select(jobs.Job).ToList();
            var outcomes = await queue.SubmitManyAsync(chunk, BatchSize, inFlight: 1, cancellationToken);
            var ids = new StringBuilder();
            for (var k = 0; k < outcomes.Count; k++)
            {
                var (index, outcome) = (start + k, outcomes[k]);
                json?.Add(writer => JsonOutput.WriteSubmitOutcome(writer, index + 1, jobs.Line(index), outcome));
                if (outcome.IsQueued)
                {
                    queued++;
                    ids.AppendLine(JobId.Format(outcome.JobId));
                    continue;
                }

                if (outcome.Kind is SubmitOutcomeKind.Unknown)
                {
                    // Never left out of the lines nor summed up: only its id lets the user find out whether it was queued.
                    unknown++;
                    await context.Error.WriteLineAsync(ErrorLines.Line($"{jobs.Where(index)}: {Describe(outcome)}"));
                    continue;
                }

                failed += outcome.Kind is SubmitOutcomeKind.Failed ? 1 : 0;
                await notQueued.AddAsync($"{jobs.Where(index)}: {Describe(outcome)}");
            }

            if (json is null)
            {
                await context.Output.WriteAsync(ids.ToString());
            }
            else
            {
                await json.FlushAsync();
            }
        }

        if (json is not null)
        {
            await json.EndAsync();
        }

        await notQueued.EndAsync();
        return notQueued.Count == 0 && unknown == 0 ? ExitCodes.Success
            // Exit 2 promises that nothing changed, so running the corrected input again cannot queue a job twice.
            : queued == 0 && failed == 0 && unknown == 0 ? ExitCodes.Usage
            : ExitCodes.Refused;
    }

    private static string Describe(SubmitOutcome outcome) => outcome.Kind switch
    {
        SubmitOutcomeKind.Invalid => outcome.Error ?? "the silo refused the job",
        SubmitOutcomeKind.Unknown =>
            $"UNKNOWN {JobId.Format(outcome.JobId)} may or may not be queued ({outcome.Error}); `status {JobId.Format(outcome.JobId)}` tells",
        _ => $"not stored: {outcome.Error ?? "the silo could not store the job"}",
    };
}
