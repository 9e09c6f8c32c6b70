using System.Collections.Concurrent;
using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Worker.Fakes;

/// <summary>Hands out <see cref="FakeJobGrain"/>s by job id; the worker's reports land there.</summary>
internal sealed class FakeGrainFactory : IGrainFactory
{
    private readonly ConcurrentDictionary<Guid, FakeJobGrain> _jobs = new();

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    public FakeJobGrain Job(Guid id) => _jobs.GetOrAdd(id, static i => new FakeJobGrain(i));

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey =>
        typeof(TGrainInterface) == typeof(IJobGrain)
            ? (TGrainInterface)(object)Job(primaryKey)
            : throw new NotSupportedException(typeof(TGrainInterface).Name);

    /// <summary>Report calls wait for this before they are answered; open from the start.</summary>
    public TaskCompletionSource ReportGate { get; set; } = CompletedGate();

    /// <summary>Sizes of the report batches received, in arrival order.</summary>
    public ConcurrentQueue<int> ReportBatches { get; } = new();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey =>
        typeof(TGrainInterface) == typeof(IReportGrain)
            ? (TGrainInterface)(object)new FakeReportGrain(this)
            : throw new NotSupportedException(typeof(TGrainInterface).Name);

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey => throw new NotSupportedException();

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) =>
        grainInterfaceType == typeof(IJobGrain) ? Job(grainPrimaryKey) : throw new NotSupportedException(grainInterfaceType.Name);

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) =>
        grainInterfaceType == typeof(IReportGrain) ? new FakeReportGrain(this) : throw new NotSupportedException(grainInterfaceType.Name);

    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable => throw new NotSupportedException();

    public IAddressable GetGrain(GrainId grainId) => throw new NotSupportedException();

    public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey) => throw new NotSupportedException();

    public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey, string grainClassNamePrefix) => throw new NotSupportedException();

    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw new NotSupportedException();
}
