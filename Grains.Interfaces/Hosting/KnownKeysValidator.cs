using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansQueue.Hosting;

/// <summary>
/// Refuses a key of an options section that no property of <typeparamref name="TOptions"/> reads, so a misspelt setting
/// (<c>--Queue:Shard=4</c>) stops the host with a message naming it and the closest real one, instead of being ignored.
/// </summary>
public sealed class KnownKeysValidator<TOptions>(IConfiguration? configuration, string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly string[] Known = typeof(TOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
        .Select(p => p.Name)
        .ToArray();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (configuration is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var unknown = configuration.GetSection(sectionName).GetChildren()
            .Select(c => c.Key)
            .Where(key => !Known.Contains(key, StringComparer.OrdinalIgnoreCase))
            .Select(key => $"{sectionName}:{key} is not a setting{Closest(key)}.")
            .ToList();
        return unknown.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(unknown);
    }

    private string Closest(string key)
    {
        var (best, distance) = Known
            .Select(k => (Key: k, Distance: EditDistance(key.ToUpperInvariant(), k.ToUpperInvariant())))
            .MinBy(c => c.Distance);
        return best is not null && distance <= Math.Max(2, key.Length / 3) ? $"; did you mean {sectionName}:{best}?" : $" of the {sectionName} section";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}

public static class KnownKeysValidation
{
    /// <summary>Refuses unknown keys of <paramref name="sectionName"/> when <typeparamref name="TOptions"/> is validated. Idempotent.</summary>
    public static IServiceCollection AddKnownKeysValidation<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, KnownKeysValidator<TOptions>>(
            sp => new KnownKeysValidator<TOptions>(sp.GetService<IConfiguration>(), sectionName)));
        return services;
    }
}
