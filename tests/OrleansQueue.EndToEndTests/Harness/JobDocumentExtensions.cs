using OrleansQueue.Contracts;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>What the tests ask of a job beyond its keys.</summary>
public static class JobDocumentExtensions
{
    extension(JobDocument job)
    {
        /// <summary>The outcome of each attempt, oldest first (wire names such as <c>COMPLETED</c>).</summary>
        public IEnumerable<string> Outcomes => job.AttemptHistory.Select(a => a.Outcome);
    }
}
