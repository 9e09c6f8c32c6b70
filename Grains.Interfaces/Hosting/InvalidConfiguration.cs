using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OrleansQueue.Text;

namespace OrleansQueue.Hosting;

/// <summary>The one line a host prints when its start fails on configuration: a value an options validator refused,
/// or one the configuration binder could not convert (<c>--Queue:Shards=abc</c>).</summary>
public static partial class InvalidConfiguration
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
                    return $"invalid configuration: {string.Join(" ", invalid.Failures.Select(Unwrapped))}";
                // The binder's own words: "Failed to convert configuration value 'abc' at 'Queue:Shards' to type 'System.Int32'."
                case InvalidOperationException when BinderFailure().Match(ex.Message) is { Success: true } failure:
                    return $"invalid configuration: {failure.Groups["key"].Value} is '{DisplayText.Echo(failure.Groups["value"].Value)}', " +
                        $"which is not {Expected(failure.Groups["type"].Value)}.";
                case InvalidOperationException when ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal):
                    return $"invalid configuration: {ex.Message}";
            }
        }

        return null;
    }

    /// <summary>A data annotation's own message, without the wrapping of the options validator (<c>DataAnnotation
    /// validation failed for 'SiloHostOptions' members: 'SiloPort' with the error: '…'.</c>), which names .NET types.</summary>
    private static string Unwrapped(string failure) =>
        AnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["error"].Value : failure;

    /// <summary>What a value of the type the binder named must look like, in a user's words rather than a .NET type's.</summary>
    private static string Expected(string typeName) => typeName switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:00:30",
        _ when AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is { IsEnum: true }) is { } kind =>
            $"one of {string.Join(", ", Offered(kind))}",
        _ => $"a value of type {typeName}",
    };

    /// <summary>The names of an enum's values a user may give: those not marked <c>[Browsable(false)]</c> (a value for
    /// hosts that register something themselves, such as the queue storage kind <c>External</c>).</summary>
    private static IEnumerable<string> Offered(Type kind) =>
        kind.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.GetCustomAttribute<BrowsableAttribute>() is not { Browsable: false })
            .Select(f => f.Name);

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'\.", RegexOptions.Singleline)]
    private static partial Regex BinderFailure();

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<error>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex AnnotationFailure();
}
