namespace OrleansQueue.Hosting;

/// <summary>The grain storage provider the queue's grains use.</summary>
public static class QueueStorage
{
    public const string Name = "queue";
}
