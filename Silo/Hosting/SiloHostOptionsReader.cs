using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace OrleansQueue.Silo.Hosting;

/// <summary>Binds and validates the <c>Silo</c> section before the host is built: its ports are needed to build it, so
/// an invalid one must stop the silo with a message (exit code 2) before anything tries to use it.</summary>
internal static class SiloHostOptionsReader
{
    public static bool TryRead(
        IConfiguration configuration,
        [NotNullWhen(true)] out SiloHostOptions? options,
        [NotNullWhen(false)] out string? error)
    {
        options = null;
        SiloHostOptions bound;
        try
        {
            bound = configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new();
        }
        catch (InvalidOperationException ex)
        {
            error = $"{ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}";
            return false;
        }

        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(bound, new ValidationContext(bound), failures, validateAllProperties: true))
        {
            error = "invalid configuration: " + string.Join(" ", failures.Select(f =>
                $"{SiloHostOptions.SectionName}:{string.Join(",", f.MemberNames)}: {f.ErrorMessage}"));
            return false;
        }

        options = bound;
        error = null;
        return true;
    }
}
