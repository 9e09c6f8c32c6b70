using System.Globalization;
using System.CommandLine;
using OrleansQueue.Cli.CommandLine;
using OrleansQueue.Cli.Commands;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Bench;

/// <summary>
/// <c>bench submit|drain|latency|order</c>: the peer workloads W1–W4 (<c>scripts/bench.sh</c> runs them), measured
/// through the same client API as <c>submit</c>, <c>status</c> and <c>metrics</c>. Each prints one line of
/// <c>key=value</c> figures, or with <c>--json</c> one JSON object.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context) =>
        new("bench", "Benchmarks: submit throughput, drain rate, submit-to-start latency and start order (no-op BENCH jobs).")
        {
            Submit(context), Drain(context), Latency(context), Order(context),
        };

    private static Command Submit(CliContext context)
    {
        var count = Number("--count", "Jobs to submit.", 50_000, 1);
        var inFlight = Number("--in-flight", "Most submit calls outstanding at once; 1 awaits each before the next.", 1, 1);
        var batch = Number("--batch", $"Jobs per submit call: above 1, batch submits (as submit --count), at most {ISubmitGrain.MaxBatch}.", 1, 1);
        var payloadBytes = PayloadBytes();
        var priority = OptionValues.WholeNumber("--priority", "Every job's priority, 0-10. Default: seeded random.",
            p => p is >= 0 and <= 10 ? null : $"Priority {p} is out of range: it must be from 0 to 10.");
        var seed = Seed();
        var json = OptionValues.Json();
        var command = new Command("submit", "W1: submit N no-op jobs, at most K calls in flight, B jobs per call; prints jobs/s.")
        {
            count, inFlight, batch, payloadBytes, priority, seed, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(batch) > ISubmitGrain.MaxBatch)
            {
                result.AddError($"--batch {result.GetValue(batch)} is too large: a batch carries at most {ISubmitGrain.MaxBatch} jobs");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var result = await SubmitBenchmark.RunAsync(queue, parse.GetValue(count), parse.GetValue(inFlight), parse.GetValue(batch),
                parse.GetValue(payloadBytes), parse.GetValue(priority), parse.GetValue(seed), context.Time, cancellationToken);
            return await PrintAsync(context, result, parse.GetValue(json));
        });
        return command;
    }

    private static Command Drain(CliContext context)
    {
        var count = Number("--count", "Completions to wait for, counted from the start of the command.", 50_000, 1);
        var pollMs = Number("--poll-ms", "Interval between two metrics reads, in milliseconds.", 50, 1);
        var timeout = Timeout(600);
        var json = OptionValues.Json();
        var command = new Command("drain", "W2: wait until N more jobs have completed; prints the completion rate.")
        {
            count, pollMs, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var result = await DrainBenchmark.RunAsync(queue, parse.GetValue(count), TimeSpan.FromMilliseconds(parse.GetValue(pollMs)),
                Seconds(parse, timeout), context.Time, context.Error, cancellationToken);
            return await PrintAsync(context, result, parse.GetValue(json));
        });
        return command;
    }

    private static Command Latency(CliContext context)
    {
        var count = Number("--count", "Jobs measured.", 2_000, 1);
        var warmup = Number("--warmup", "Jobs submitted first and not measured.", 100, 0);
        var intervalMs = Number("--interval-ms", "Milliseconds between two submits.", 1, 1);
        var payloadBytes = PayloadBytes();
        var timeout = Timeout(60);
        var json = OptionValues.Json();
        var command = new Command("latency", "W3: submit N jobs 1 ms apart to idle workers; prints submit-to-start p50/p99/max.")
        {
            count, warmup, intervalMs, payloadBytes, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var result = await LatencyBenchmark.RunAsync(queue, parse.GetValue(count), parse.GetValue(warmup),
                TimeSpan.FromMilliseconds(parse.GetValue(intervalMs)), parse.GetValue(payloadBytes), Seconds(parse, timeout),
                context.Time, cancellationToken);
            return await PrintAsync(context, result, parse.GetValue(json));
        });
        return command;
    }

    private static Command Order(CliContext context)
    {
        var count = Number("--count", "Jobs submitted.", 1_000, 1);
        var seed = Seed();
        var payloadBytes = PayloadBytes();
        var timeout = Timeout(300);
        var json = OptionValues.Json();
        var command = new Command("order", "W4: submit N jobs of random priority with no worker, wait for one worker to run them all, " +
            "check they started in priority order, FIFO within a priority.")
        {
            count, seed, payloadBytes, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queue = await context.QueueAsync(parse, cancellationToken);
            var (result, violation) = await OrderBenchmark.RunAsync(queue, parse.GetValue(count), parse.GetValue(seed),
                parse.GetValue(payloadBytes), Seconds(parse, timeout), context.Time, context.Error, cancellationToken);
            await PrintAsync(context, result, parse.GetValue(json));
            return violation is null ? ExitCodes.Success : ExitCodes.Refused;
        });
        return command;
    }

    private static async Task<int> PrintAsync(CliContext context, BenchResult result, bool json)
    {
        await context.Output.WriteLineAsync(json ? result.ToJson() : result.ToText());
        return ExitCodes.Success;
    }

    private static Option<int> Number(string name, string description, int defaultValue, int minimum)
    {
        var option = new Option<int>(name)
        {
            Description = $"{description} Default: {defaultValue}.",
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
        };
        // Read the token, not the value: a token that is not a number already has its parse error, and asking for
        // the value then would throw.
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0
                && int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && value < minimum)
            {
                result.AddError($"{name} must be at least {minimum}");
            }
        });
        return option;
    }

    private static Option<int> PayloadBytes() => Number("--payload-bytes", "Size of each job's payload in bytes.", 100, 0);

    private static Option<int> Seed() => new("--seed")
    {
        Description = "Seed of the random priorities, so every run submits the same sequence. Default: 42.",
        HelpName = "N",
        DefaultValueFactory = _ => 42,
    };

    private static Option<TimeSpan?> Timeout(int defaultSeconds) => OptionValues.Seconds(
        "--timeout", $"Give up (exit 6) after this many seconds. Default: {defaultSeconds}.",
        t => t > TimeSpan.Zero ? null : "--timeout must be greater than zero")
        .WithDefault(TimeSpan.FromSeconds(defaultSeconds));

    private static TimeSpan Seconds(ParseResult parse, Option<TimeSpan?> option) => parse.GetValue(option) ?? TimeSpan.Zero;

    private static Option<TimeSpan?> WithDefault(this Option<TimeSpan?> option, TimeSpan value)
    {
        option.DefaultValueFactory = _ => value;
        return option;
    }
}
