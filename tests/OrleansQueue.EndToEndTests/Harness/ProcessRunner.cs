using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>
/// One executable started as <c>dotnet &lt;dll&gt; args</c>, with its stdout and stderr captured line by line.
/// Disposing kills it (and its children) if it still runs.
/// </summary>
public sealed class ProcessRunner : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<OutputLine> _lines = [];
    private readonly List<OutputLine> _stdout = [];
    private readonly List<OutputLine> _stderr = [];
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Regex Pattern, int From, TaskCompletionSource<OutputLine> Found)> _waiters = [];
    private readonly object _gate = new();
    private int? _exitCodeWhenDisposed;

    private ProcessRunner(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>A short name for messages, e.g. <c>silo</c> or <c>worker-a</c>.</summary>
    public string Name { get; }

    public string CommandLine => string.Join(' ', _process.StartInfo.ArgumentList.Select(Quote));

    public int Id { get; private set; }

    public bool HasExited => _exitCodeWhenDisposed is not null || _process.HasExited;

    public int ExitCode => _exitCodeWhenDisposed ?? _process.ExitCode;

    /// <summary>Only when started with <c>redirectInput</c>.</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    public static ProcessRunner Start(string name, string dll, IEnumerable<string> args, bool redirectInput = false) =>
        StartProgram(name, "dotnet", [dll, .. args], Path.GetDirectoryName(dll)!, redirectInput);

    /// <summary>Starts any program (e.g. <c>redis-server</c>) with its output captured the same way.</summary>
    public static ProcessRunner StartProgram(string name, string program, IEnumerable<string> args, string workingDirectory, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        // Plain lines without colour codes, so patterns match what a person reads.
        info.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "0";
        info.Environment["NO_COLOR"] = "1";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var runner = new ProcessRunner(name, process);
        process.OutputDataReceived += (_, e) => runner.Append(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => runner.Append(e.Data, isError: true);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}: {program} {runner.CommandLine}");
        }

        runner.Id = process.Id;
        ProcessRegistry.Add(process);
        process.Exited += (_, _) => ProcessRegistry.Remove(runner.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    public IReadOnlyList<OutputLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToList();
            }
        }
    }

    /// <summary>The lines of one stream from index <paramref name="from"/> on.</summary>
    public IReadOnlyList<OutputLine> Read(bool isError, int from)
    {
        lock (_gate)
        {
            var lines = isError ? _stderr : _stdout;
            return from >= lines.Count ? [] : lines.GetRange(from, lines.Count - from);
        }
    }

    /// <summary>Completes when the next line arrives (or at once if <paramref name="seenLines"/> lines are not all there is).</summary>
    public Task NextLineAsync(int seenLines)
    {
        lock (_gate)
        {
            return _lines.Count > seenLines ? Task.CompletedTask : _appended.Task;
        }
    }

    public int LineCount
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    public string StandardOutputText => Join(isError: false);

    public string StandardErrorText => Join(isError: true);

    /// <summary>Waits for a line (on either stream) matching <paramref name="pattern"/>, counting from line
    /// <paramref name="fromLine"/>. Fails early when the process exits without writing it.</summary>
    public async Task<OutputLine> WaitForLineAsync(Regex pattern, TimeSpan timeout, int fromLine = 0)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var found = new TaskCompletionSource<OutputLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _lines.Skip(fromLine).FirstOrDefault(l => pattern.IsMatch(l.Text));
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((pattern, fromLine, found));
        }

        try
        {
            var exited = _process.WaitForExitAsync();
            var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
            if (first == found.Task)
            {
                return await found.Task;
            }

            if (first == exited)
            {
                // The exit may race the last lines: look once more now that the streams are drained.
                if (found.Task.IsCompleted)
                {
                    return await found.Task;
                }

                throw new InvalidOperationException(
                    $"{Name} exited with code {_process.ExitCode} before writing a line matching /{pattern}/.");
            }

            throw new TimeoutException($"{Name} wrote no line matching /{pattern}/ within {timeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Found == found);
            }
        }
    }

    public Task<OutputLine> WaitForLineAsync(string pattern, TimeSpan timeout, int fromLine = 0) =>
        WaitForLineAsync(new Regex(pattern, RegexOptions.CultureInvariant), timeout, fromLine);

    /// <summary>SIGKILL to the process and its children: no clean-up, as when a machine dies.</summary>
    public void Kill()
    {
        if (_exitCodeWhenDisposed is not null)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>SIGINT, as Ctrl+C in a terminal: the process is asked to stop gracefully.</summary>
    public void Interrupt()
    {
        if (!HasExited && !Signals.Send(Id, Signals.SigInt) && !HasExited)
        {
            throw new InvalidOperationException($"Could not send SIGINT to {Name} (pid {Id}).");
        }
    }

    /// <summary>Waits for the exit and for the last output lines; throws <see cref="TimeoutException"/> if it
    /// still runs after <paramref name="timeout"/> (the process is left running).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (_exitCodeWhenDisposed is { } exitCode)
        {
            return exitCode;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} (pid {Id}) still runs after {timeout.TotalSeconds:0.#} s.");
        }

        return _process.ExitCode;
    }

    /// <summary>The command and the last <paramref name="tailLines"/> lines, for failure messages.</summary>
    public string Describe(int tailLines = int.MaxValue)
    {
        var lines = Lines;
        var state = HasExited ? $"exited {ExitCode}" : "running";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"===== {Name} (pid {Id}, {state}): {_process.StartInfo.FileName} {CommandLine}")
            .AppendLine();
        if (lines.Count > tailLines)
        {
            text.Append(CultureInfo.InvariantCulture, $"      ... {lines.Count - tailLines} earlier lines left out ...").AppendLine();
        }

        foreach (var line in lines.Skip(Math.Max(0, lines.Count - tailLines)))
        {
            text.AppendLine(line.ToString());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_exitCodeWhenDisposed is not null)
        {
            return;
        }

        Kill();
        try
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Still registered, so the exit of the test host kills it; nothing more can be done here.
            return;
        }

        _exitCodeWhenDisposed = _process.ExitCode;
        ProcessRegistry.Remove(Id);
        _process.Dispose();
    }

    private void Append(string? text, bool isError)
    {
        if (text is null)
        {
            return;
        }

        lock (_gate)
        {
            var line = new OutputLine(_clock.Elapsed, isError, text);
            _lines.Add(line);
            (isError ? _stderr : _stdout).Add(line);
            _appended.TrySetResult();
            _appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var index = _lines.Count - 1;
            foreach (var waiter in _waiters.Where(w => index >= w.From && w.Pattern.IsMatch(text)).ToList())
            {
                waiter.Found.TrySetResult(line);
            }
        }
    }

    private string Join(bool isError)
    {
        lock (_gate)
        {
            return string.Concat((isError ? _stderr : _stdout).Select(l => l.Text + "\n"));
        }
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '{' or '}') ? arg : $"'{arg}'";
}
