namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>The <c>requeued</c> object of the metrics: jobs sent back to pending, by cause.</summary>
public sealed record RequeueCounts(long Deadline, long WorkerLost, long HandedBack, long Manual);
