using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OrleansQueue.Hosting;

/// <summary>The one line a host prints when its start fails on configuration: a value an options validator refused,
/// or one the configuration binder could not convert (<c>--Queue:Shards=abc</c>).</summary>
public static class InvalidConfiguration
{
    /// <summary>Binds the options a host needs to be built (its ports, its gateway). Only binds: the values are validated
    /// once, with the other options, when the host starts. A value that cannot be converted is written to
    /// <paramref name="error"/> as one <c>error:</c> line.</summary>
    public static bool TryBind<TOptions>(IConfiguration configuration, string sectionName, TextWriter error, [NotNullWhen(true)] out TOptions? options)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            options = configuration.GetSection(sectionName).Get<TOptions>() ?? new TOptions();
            return true;
        }
        catch (InvalidOperationException ex) when (Describe(ex) is { } message)
        {
            error.WriteLine($"error: {message}");
            options = null;
            return false;
        }
    }

    /// <returns>The message, or null when <paramref name="exception"/> is not about configuration.</returns>
    public static string? Describe(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case OptionsValidationException invalid:
                    return $"invalid configuration: {string.Join(" ", invalid.Failures)}";
                // The binder's own words: "Failed to convert configuration value 'abc' at 'Queue:Shards' to type 'System.Int32'."
                case InvalidOperationException when ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    return $"invalid configuration: {ex.Message}";
            }
        }

        return null;
    }
}
