using System.Runtime.CompilerServices;

namespace OrleansQueue;

/// <summary>
/// References to this project's grains, for every call site of the silo, the worker host and the clients.
/// <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c> works out the grain's interface type and grain type from the CLR type on
/// every call (custom attributes and type-name formatting, with no cache in Orleans 10.4): in a gateway drain that was
/// 13% of all the silo allocated, one reference per job and hop. Here that is done once per interface and factory, and a
/// reference is made from the grain id, as Orleans itself makes it.
/// </summary>
public static class GrainReferences
{
    /// <summary>The grain of <typeparamref name="TGrain"/> whose key is <paramref name="key"/>.</summary>
    public static TGrain Grain<TGrain>(this IGrainFactory factory, Guid key) where TGrain : IGrainWithGuidKey
    {
        ArgumentNullException.ThrowIfNull(factory);
        return TypesOf<TGrain>.Get(factory) is { } types
            ? (TGrain)factory.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateGuidKey(key)), types.Interface)
            : factory.GetGrain<TGrain>(key);
    }

    /// <summary>The grain of <typeparamref name="TGrain"/> whose key is <paramref name="key"/>.</summary>
    public static TGrain Grain<TGrain>(this IGrainFactory factory, long key) where TGrain : IGrainWithIntegerKey
    {
        ArgumentNullException.ThrowIfNull(factory);
        return TypesOf<TGrain>.Get(factory) is { } types
            ? (TGrain)factory.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(key)), types.Interface)
            : factory.GetGrain<TGrain>(key);
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);

    /// <summary>The types Orleans resolves for <typeparamref name="TGrain"/>, taken once per factory from a reference made
    /// the usual way. A factory whose references are not Orleans' (a test double) has none, and is asked the usual way.</summary>
    private static class TypesOf<TGrain>
    {
        private static readonly ConditionalWeakTable<IGrainFactory, GrainTypes?> s_types = new();

        public static GrainTypes? Get(IGrainFactory factory) => s_types.GetValue(factory, Resolve);

        private static GrainTypes? Resolve(IGrainFactory factory)
        {
            var probe = typeof(IGrainWithGuidKey).IsAssignableFrom(typeof(TGrain))
                ? factory.GetGrain(typeof(TGrain), Guid.Empty)
                : factory.GetGrain(typeof(TGrain), 0L);
            return probe is GrainReference reference ? new GrainTypes(reference.GrainId.Type, reference.InterfaceType) : null;
        }
    }
}
