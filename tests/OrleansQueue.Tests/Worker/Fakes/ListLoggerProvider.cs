using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrleansQueue.Tests.Worker.Fakes;

/// <summary>Keeps every formatted log line, e.g. <c>Warning: Job … report refused: …</c>, so tests can assert on
/// them and await them, and the scope values each was logged in (<see cref="Entries"/>). Like the console logger, it
/// takes scopes from the logger factory, which shares them between all its loggers.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _lock = new();
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _waiters = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Every line with the values of the scopes open when it was logged, e.g. <c>JobId</c>, <c>Attempt</c>.</summary>
    public ConcurrentQueue<(string Text, IReadOnlyDictionary<string, object?> Scope)> Entries { get; } = new();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public IReadOnlyList<string> Matching(string text) => Lines.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();

    /// <summary>Completes with the first line containing <paramref name="text"/>, logged before or after the call.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (Matching(text) is [var first, ..])
            {
                return first;
            }

            _waiters.Add((text, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No log line containing '{text}' within {timeout.TotalSeconds} s. Lines:{Environment.NewLine}{string.Join(Environment.NewLine, Lines)}");
            throw;
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        var scope = new Dictionary<string, object?>();
        _scopes.ForEachScope(
            static (state, values) =>
            {
                if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        values[key] = value;
                    }
                }
            },
            scope);

        lock (_lock)
        {
            Entries.Enqueue((line, scope));
            Lines.Enqueue(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
