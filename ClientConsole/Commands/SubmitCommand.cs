using System.CommandLine;
using System.Text;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Live;
using OrleansQueue.Cli.Output;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Commands;

/// <summary><c>submit TYPE [--payload FILE | --data TEXT] [--priority N] [--retries N] [--deadline S] [--backoff S] [--json]
/// [--wait [--wait-timeout S]]</c>: prints the new job's id alone, or the job as JSON. With <c>--wait</c> it then
/// follows the job to its end (<see cref="JobFollow"/>) and prints its result.</summary>
internal static class SubmitCommand
{
    public static Command Create(CliContext context)
    {
        var type = new Argument<string>("TYPE") { Description = "The job type, e.g. TRANSCODE_VIDEO; selects the worker's handler." };
        var payload = new Option<string>("--payload")
        {
            Description = "A file whose bytes are the payload handed to the handler.",
            HelpName = "FILE",
        };
        var data = new Option<string>("--data")
        {
            Description = "The payload as inline text (sent as UTF-8). Without --payload or --data the payload is empty.",
            HelpName = "TEXT",
        };
        // The local checks only give instant feedback on what is never valid; the silo's limits stay authoritative.
        var priority = OptionValues.WholeNumber("--priority", "0 (most important) to 10. Default: the silo's (5).",
            p => p is >= 0 and <= 10 ? null : $"Priority {p} is out of range: it must be from 0 (most important) to 10.");
        var retries = OptionValues.WholeNumber("--retries", "Attempts allowed after a failed one. Default: the silo's (3).",
            r => r >= 0 ? null : $"Retries {r} is negative: it must be 0 or more.");
        var deadline = OptionValues.Seconds("--deadline", "Most seconds one attempt may run. Default: the silo's (300).",
            d => d > TimeSpan.Zero ? null : $"Deadline {Timestamps.Seconds(d)} s must be greater than zero.");
        var backoff = OptionValues.Seconds("--backoff", "Base of the exponential backoff before a retry, in seconds; 0 retries at once. Default: the silo's (1).",
            b => b >= TimeSpan.Zero ? null : "The retry backoff cannot be negative.");
        var json = OptionValues.Json();
        var wait = new Option<bool>("--wait")
        {
            Description = "Follow the job until it finishes (live on a terminal, one line per step otherwise), then print " +
                "its result; exit 5 if it ends FAILED or CANCELLED.",
        };
        var waitTimeout = OptionValues.WaitTimeout(wait);

        var command = new Command("submit", "Submit a job; prints its id.")
        {
            type, payload, data, priority, retries, deadline, backoff, json, wait, waitTimeout,
        };
        OptionValues.RequireWith(command, waitTimeout, wait);
        command.Validators.Add(result =>
        {
            if (result.GetResult(payload) is not null && result.GetResult(data) is not null)
            {
                result.AddError("--payload and --data cannot be used together: give one of them");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            // Read the file before connecting: a wrong path is a usage error and must not wait for a silo.
            var bytes = parse.GetValue(payload) is { } file ? await ReadPayloadAsync(file, cancellationToken)
                : parse.GetValue(data) is { } text ? Encoding.UTF8.GetBytes(text)
                : [];
            var submission = new JobSubmission(
                parse.GetRequiredValue(type),
                bytes,
                parse.GetValue(priority),
                parse.GetValue(retries),
                parse.GetValue(deadline),
                parse.GetValue(backoff));

            var queue = await context.QueueAsync(parse, cancellationToken);
            var job = await queue.SubmitAsync(submission);
            var asJson = parse.GetValue(json);
            if (!parse.GetValue(wait))
            {
                await context.Output.WriteLineAsync(asJson ? JobJson.Format(job) : JobId.Format(job.Id));
                return ExitCodes.Success;
            }

            // The id first, so that a user can still find the job if they stop waiting; with --json, only the final job.
            if (!asJson)
            {
                await context.Output.WriteLineAsync(JobId.Format(job.Id));
            }

            return await JobFollow.RunAsync(context, queue, job, parse.GetValue(waitTimeout), asJson, cancellationToken);
        });
        return command;
    }

    private static async Task<byte[]> ReadPayloadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.Usage($"payload file '{path}' not found");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CliException.Usage($"payload file '{path}' cannot be read: {ex.Message}");
        }
    }
}
