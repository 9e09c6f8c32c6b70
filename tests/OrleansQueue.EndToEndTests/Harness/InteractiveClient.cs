using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansQueue.Contracts;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>
/// One console client in interactive mode: commands go to its stdin, answers are read from its stdout. One
/// process serves many status checks, which costs a few milliseconds each instead of a process start.
/// Commands are sent one at a time; the class is safe to share between tasks.
/// </summary>
public sealed partial class InteractiveClient : IAsyncDisposable
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly ProcessRunner _process;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _stdoutRead;
    private int _stderrRead;

    private InteractiveClient(ProcessRunner process) => _process = process;

    public ProcessRunner Process => _process;

    /// <summary>Wraps a started client and waits until its first answer, which proves it is connected.</summary>
    public static async Task<InteractiveClient> ConnectAsync(ProcessRunner process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        var client = new InteractiveClient(process);
        await client.SendAsync("METRICS_GET --json", IsWholeJson, timeout);
        return client;
    }

    /// <summary>
    /// Sends one command line and returns its answer: the stdout lines up to where <paramref name="complete"/> says
    /// the answer is whole. The session writes nothing to mark the end of an answer, so the caller knows its shape;
    /// a command that fails writes one <c>error:</c> line to stderr instead, which is thrown.
    /// </summary>
    public async Task<string> SendAsync(string command, Func<string, bool> complete, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(complete);
        await _turn.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            var giveUpAt = DateTime.UtcNow + (timeout ?? AnswerTimeout);
            var answer = new StringBuilder();
            while (true)
            {
                var seen = _process.LineCount;
                var errors = _process.Read(isError: true, _stderrRead);
                _stderrRead += errors.Count;
                if (errors.FirstOrDefault(l => l.Text.StartsWith("error:", StringComparison.Ordinal)) is { } error)
                {
                    throw new InvalidOperationException($"The client refused '{command}': {error.Text}");
                }

                foreach (var line in _process.Read(isError: false, _stdoutRead))
                {
                    _stdoutRead++;
                    answer.AppendLine(line.Text);
                    if (complete(answer.ToString()))
                    {
                        return answer.ToString();
                    }
                }

                var left = giveUpAt - DateTime.UtcNow;
                if (_process.HasExited || left <= TimeSpan.Zero)
                {
                    throw new TimeoutException(
                        $"No complete answer to '{command}' within {(timeout ?? AnswerTimeout).TotalSeconds:0.#} s (so far: '{answer}').");
                }

                await Task.WhenAny(_process.NextLineAsync(seen), Task.Delay(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500)));
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public async Task<string> SubmitAsync(string type, string data, params string[] options)
    {
        // Single quotes keep the JSON's double quotes: the session splits lines the way a shell does.
        var line = $"SUBMIT {type} --data='{data}' {string.Join(' ', options)}";
        var answer = await SendAsync(line, a => JobIdPattern().IsMatch(a));
        return JobIdPattern().Match(answer).Value;
    }

    public async Task<JobDocument> GetJobAsync(string id) =>
        CliJson.Job(await SendAsync($"JOB_STATUS {id} --json", IsWholeJson));

    public async Task<MetricsDocument> GetMetricsAsync() =>
        CliJson.Metrics(await SendAsync("METRICS_GET --json", IsWholeJson));

    /// <summary>A command given <c>--json</c> (e.g. <c>list --status pending --json</c>): its whole JSON answer.</summary>
    public Task<string> JsonAsync(string command) => SendAsync(command, IsWholeJson);

    public Task<JobDocument> WaitForJobAsync(string id, Func<JobDocument, bool> done, TimeSpan timeout, string what) =>
        Wait.UntilAsync(() => GetJobAsync(id), done, timeout, $"job {id} {what}", TimeSpan.FromMilliseconds(100));

    /// <summary>Waits until every job satisfies <paramref name="done"/>, then reads them all once more, so the
    /// result shows their state after the last of them got there.</summary>
    public async Task<IReadOnlyList<JobDocument>> WaitForJobsAsync(IReadOnlyCollection<string> ids, Func<JobDocument, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var waiting = ids.ToHashSet();
        await Wait.UntilAsync(async () =>
        {
            foreach (var id in waiting.ToList())
            {
                if (!done(await GetJobAsync(id)))
                {
                    return $"{waiting.Count} of {ids.Count} jobs not yet {what}, e.g. {await GetJobAsync(id)}";
                }

                waiting.Remove(id);
            }

            return "";
        }, left => left.Length == 0, timeout, $"all {ids.Count} jobs are {what}", TimeSpan.FromMilliseconds(250));

        var jobs = new List<JobDocument>();
        foreach (var id in ids)
        {
            jobs.Add(await GetJobAsync(id));
        }

        return jobs;
    }

    public async ValueTask DisposeAsync()
    {
        _turn.Dispose();
        await _process.DisposeAsync();
    }

    private static bool IsWholeJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex JobIdPattern();
}
