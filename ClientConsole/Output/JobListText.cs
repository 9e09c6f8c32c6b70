using System.Globalization;
using OrleansQueue.Jobs;
using OrleansQueue.Text;

namespace OrleansQueue.Cli.Output;

/// <summary><c>list</c> as text: exactly one line per job (id, status, type, priority, attempts, error),
/// no header, so the output can be counted and cut.</summary>
internal static class JobListText
{
    /// <summary>A list is for scanning; the full error stays in <c>status</c>.</summary>
    private const int MaxErrorLength = 120;

    public static void Write(TextWriter writer, IEnumerable<JobView> jobs)
    {
        var table = new TextTable();
        foreach (var job in jobs)
        {
            table.Add(
                JobId.Format(job.Id),
                job.Status.ToWireName(),
                job.Type,
                "priority " + job.Priority.ToString(CultureInfo.InvariantCulture),
                "attempts " + job.Attempts.Count.ToString(CultureInfo.InvariantCulture),
                DisplayText.Shorten(JobText.OneLine(job.Error ?? ""), MaxErrorLength));
        }

        table.WriteTo(writer);
    }
}
