namespace OrleansQueue.Worker.Hosting;

/// <summary>What <see cref="WorkerCommandLine.Parse"/> made of the arguments.</summary>
/// <param name="Settings">Configuration keys and values (<c>Worker:Concurrency</c> → <c>8</c>), to add on top of the
/// other configuration sources.</param>
/// <param name="Help">The usage text was asked for.</param>
/// <param name="Error">Why the arguments are unusable, or null.</param>
internal sealed record CommandLineResult(IReadOnlyDictionary<string, string?> Settings, bool Help, string? Error);
