using System.CommandLine;
using System.Text;
using OrleansQueue.Cli.Batch;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Cli.Live;
using OrleansQueue.Cli.Output;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Commands;

/// <summary>
/// <c>submit TYPE [--payload FILE | --data TEXT] [--queue NAME] [--delay S] [--priority N] [--retries N] [--deadline S] [--backoff S] [--json]
/// [--wait [--wait-timeout S]] [--count N]</c> and <c>submit [TYPE] --file FILE|- [...]</c>.
/// One job: prints the new job's id alone, or the job as JSON; with <c>--wait</c> it then follows the job to its end
/// (<see cref="JobFollow"/>) and prints its result. <c>--count N</c> submits N copies of the job and <c>--file</c> the
/// jobs of a JSON Lines file (<see cref="JobLine"/>; the command line's values are the lines' defaults), both in batches
/// and in order (<see cref="BatchSubmit"/>): they print the queued jobs' ids one a line, or with <c>--json</c> every
/// job's outcome (<see cref="OrleansQueue.Contracts.SubmitOutcomeDocument"/>). Every line of a file is checked before anything is sent.
/// </summary>
internal static class SubmitCommand
{
    /// <summary>The most jobs of one <c>--count</c>: beyond it a mistyped count is more likely than a wish.</summary>
    public const int MaxCount = 10_000_000;

    public static Command Create(CliContext context)
    {
        var type = new Argument<string?>("TYPE")
        {
            Description = "The job type, e.g. TRANSCODE_VIDEO; selects the worker's handler. With --file, optional: the type of lines that give none.",
            Arity = ArgumentArity.ZeroOrOne,
        };
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
        var priority = OptionValues.WholeNumber("--priority", "0 (most important) to 10. Default: the silo's (5).", JobValueChecks.Priority);
        var retries = OptionValues.WholeNumber("--retries", "Attempts allowed after a failed one. Default: the silo's (3).", JobValueChecks.Retries);
        var deadline = OptionValues.Seconds("--deadline", "Most seconds one attempt may run. Default: the silo's (300).", JobValueChecks.Deadline);
        var backoff = OptionValues.Seconds("--backoff", "Base of the exponential backoff before a retry, in seconds; 0 retries at once. Default: the silo's (1).",
            JobValueChecks.Backoff);
        var queueName = OptionValues.Queue(
            "The named queue the job goes to (a beanstalkd tube); workers lease from the queues they name. Default: default.");
        var delay = OptionValues.Seconds("--delay", "Seconds before the job can be leased (it is pending until then). Default: 0.",
            d => d >= TimeSpan.Zero && d <= JobSubmission.MaxDelay ? null : $"--delay must be from 0 to {JobSubmission.MaxDelay.TotalSeconds:0} seconds");
        var json = OptionValues.Json();
        json.Description = "Print JSON instead of text: the job; with --count or --file an array with one object per job, in order: " +
            "{\"job\": N, \"line\": LINE or null, \"id\": ID or null, \"outcome\": \"QUEUED\"|\"INVALID\"|\"FAILED\"|\"UNKNOWN\", \"error\": TEXT or null}.";
        var wait = new Option<bool>("--wait")
        {
            Description = "Follow the job until it finishes (live on a terminal, one line per step otherwise), then print " +
                "its result; exit 5 if it ends FAILED or CANCELLED.",
        };
        var waitTimeout = OptionValues.WaitTimeout(wait);
        var count = OptionValues.WholeNumber(
            "--count",
            $"Submit N copies of the job (1 to {MaxCount}), in batches and in order; prints their ids, one a line.",
            n => n is >= 1 and <= MaxCount ? null : $"--count {n} is out of range: it must be from 1 to {MaxCount}");
        var file = new Option<string>("--file")
        {
            Description = "Submit the jobs of a JSON Lines file (- reads stdin), one a line: {\"type\": \"T\", \"data\": \"text\" or " +
                "\"payload\": \"base64\", \"priority\": N, \"retries\": N, \"deadline\": SECONDS, \"backoff\": SECONDS}. Omitted fields " +
                "take TYPE and the options given here. Blank lines and # comments are skipped. Every line is checked first: " +
                "one bad line and nothing is sent. Prints the ids in order, one a line.",
            HelpName = "FILE",
        };

        var command = new Command("submit", "Submit a job and print its id; with --count N, N copies of it; with --file, the jobs of a JSON Lines file.")
        {
            type, payload, data, priority, retries, deadline, backoff, queueName, delay, json, wait, waitTimeout, count, file,
        };
        OptionValues.RequireWith(command, waitTimeout, wait);
        command.Validators.Add(result =>
        {
            if (result.GetResult(payload) is not null && result.GetResult(data) is not null)
            {
                result.AddError("--payload and --data cannot be used together: give one of them");
            }

            var many = result.GetResult(file) is not null;
            if (result.GetResult(count) is not null && many)
            {
                result.AddError("--count and --file cannot be used together: give one of them");
            }

            if (result.GetValue(type) is null && !many)
            {
                result.AddError("Required argument 'TYPE' missing: give the job type, or --file FILE whose lines name their types");
            }

            // A type no silo accepts is refused here, before connecting (and once, not once per copy of --count). With
            // --file, TYPE is only a default; the lines are checked as they are read.
            if (!many && result.GetValue(type) is { } givenType && JobValueChecks.Type(givenType) is { } typeProblem)
            {
                result.AddError(typeProblem);
            }

            if (result.GetValue(wait) && (result.GetResult(count) is not null || many))
            {
                result.AddError($"--wait follows one job: it cannot be used with {(many ? file.Name : count.Name)}");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            // Read the files before connecting: a wrong path or a bad line is a usage error and must not wait for a silo.
            var bytes = parse.GetValue(payload) is { } payloadFile ? await UserFile.ReadAllBytesAsync("payload file", payloadFile, cancellationToken)
                : parse.GetValue(data) is { } text ? Encoding.UTF8.GetBytes(text)
                : [];
            var submission = new JobSubmission(
                parse.GetValue(type) ?? "",
                bytes,
                parse.GetValue(priority),
                parse.GetValue(retries),
                parse.GetValue(deadline),
                parse.GetValue(backoff),
                parse.GetValue(queueName),
                parse.GetValue(delay));
            var asJson = parse.GetValue(json);

            if (parse.GetValue(file) is { } path)
            {
                var (name, jobs) = await ReadJobsAsync(context, path, submission, parse.GetValue(type) is not null, cancellationToken);
                if (jobs is null)
                {
                    return ExitCodes.Usage;
                }

                var fileQueue = await context.QueueAsync(parse, cancellationToken);
                if (!await FitsTheLimitsAsync(context, fileQueue, name, jobs))
                {
                    return ExitCodes.Usage;
                }

                return await BatchSubmit.RunAsync(context, fileQueue, BatchJobs.FromFile(name, jobs), asJson, cancellationToken);
            }

            var queue = await context.QueueAsync(parse, cancellationToken);
            if (parse.GetValue(count) is { } copies)
            {
                return await BatchSubmit.RunAsync(context, queue, BatchJobs.Copies(submission, copies), asJson, cancellationToken);
            }

            var job = await queue.SubmitAsync(submission);
            if (!parse.GetValue(wait))
            {
                await context.Output.WriteLineAsync(asJson ? JsonOutput.Job(job) : JobId.Format(job.Id));
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

    /// <summary>Checks every job against the silo's limits before any is sent, as a bad line is: each one over them is
    /// reported as <c>NAME:LINE: message</c>, and nothing is sent.</summary>
    private static async Task<bool> FitsTheLimitsAsync(CliContext context, IJobQueue queue, string name, IReadOnlyList<NumberedJob> jobs)
    {
        var limits = await queue.GetLimitsAsync();
        var problems = new ErrorLines(context.Error, "bad lines");
        foreach (var job in jobs)
        {
            if (limits.CheckPayload(job.Job.Payload.Length) is { } problem)
            {
                await problems.AddAsync($"{name}:{job.Line}: {problem}");
            }
        }

        await problems.EndAsync();
        return problems.Count == 0;
    }

    /// <summary>The name messages give the file, and its jobs; or null jobs when some lines are bad (each has been
    /// reported on stderr).</summary>
    /// <exception cref="CliException">A usage error: the file cannot be read, holds no job, or is stdin while an
    /// interactive session reads its commands from stdin.</exception>
    private static async Task<(string Name, IReadOnlyList<NumberedJob>? Jobs)> ReadJobsAsync(
        CliContext context, string path, JobSubmission defaults, bool hasDefaultType, CancellationToken cancellationToken)
    {
        var problems = new ErrorLines(context.Error, "bad lines");
        IReadOnlyList<NumberedJob> jobs;
        string name;
        if (path == "-")
        {
            name = JobsFile.StdinName;
            var stdin = context.Input
                ?? throw CliException.Usage("--file -: stdin carries this session's commands; give the path of a jobs file");
            jobs = await JobsFile.ReadAsync(stdin, name, defaults, hasDefaultType, problems, cancellationToken);
        }
        else
        {
            name = path;
            jobs = await UserFile.ReadAsync("jobs file", path, async () =>
            {
                using var reader = JobsFile.OpenStrict(path);
                return await JobsFile.ReadAsync(reader, path, defaults, hasDefaultType, problems, cancellationToken);
            });
        }

        if (problems.Count > 0)
        {
            await problems.EndAsync();
            return (name, null);
        }

        return jobs.Count > 0
            ? (name, jobs)
            : throw CliException.Usage($"{name} holds no jobs: every line is blank or a # comment");
    }
}
