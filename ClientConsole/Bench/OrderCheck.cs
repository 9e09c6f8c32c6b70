namespace OrleansQueue.Cli.Bench;

/// <summary>One job of the order benchmark: its place in the submission sequence and its priority.</summary>
internal readonly record struct SubmittedJob(int Index, int Priority);

/// <summary>
/// The rule the queue promises: a lower priority number starts first, and jobs of equal priority start in the
/// order they were submitted (FIFO). Checks a start order against it.
/// </summary>
internal static class OrderCheck
{
    /// <summary>The first place where <paramref name="startOrder"/> breaks the rule, or null when it holds.</summary>
    public static OrderViolation? FirstViolation(IReadOnlyList<SubmittedJob> startOrder)
    {
        for (var k = 1; k < startOrder.Count; k++)
        {
            var before = startOrder[k - 1];
            var after = startOrder[k];
            if (after.Priority < before.Priority)
            {
                return new OrderViolation(OrderViolationKind.PriorityInversion, k, before, after);
            }

            if (after.Priority == before.Priority && after.Index < before.Index)
            {
                return new OrderViolation(OrderViolationKind.FifoInversion, k, before, after);
            }
        }

        return null;
    }
}

internal enum OrderViolationKind
{
    /// <summary>A more important job (lower number) started after a less important one.</summary>
    PriorityInversion,

    /// <summary>Two jobs of one priority started in the reverse of their submission order.</summary>
    FifoInversion,
}

/// <summary>The <paramref name="Position"/>-th job to start (<paramref name="After"/>) should have started before
/// the one just ahead of it (<paramref name="Before"/>).</summary>
internal sealed record OrderViolation(OrderViolationKind Kind, int Position, SubmittedJob Before, SubmittedJob After)
{
    public override string ToString() => Kind switch
    {
        OrderViolationKind.PriorityInversion => FormattableString.Invariant(
            $"priority inversion at start #{Position}: job #{After.Index} (priority {After.Priority}) started after job #{Before.Index} (priority {Before.Priority})"),
        _ => FormattableString.Invariant(
            $"FIFO inversion at start #{Position}: job #{After.Index} started after job #{Before.Index}, both priority {After.Priority}"),
    };
}
