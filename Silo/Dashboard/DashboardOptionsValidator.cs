using Microsoft.Extensions.Options;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>Checks what data annotations cannot express, once at start-up.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    private static readonly string[] ReservedPaths = ["/", "/api", "/metrics"];

    public ValidateOptionsResult Validate(string? name, DashboardOptions o)
    {
        var errors = new List<string>();
        if (o.GaugeRefreshInterval < TimeSpan.FromMilliseconds(100) || o.GaugeRefreshInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Dashboard:GaugeRefreshInterval must be between 00:00:00.1 and 00:05:00 (it is {o.GaugeRefreshInterval}).");
        }

        if (o.DefaultJobLimit > o.MaxJobLimit)
        {
            errors.Add($"Dashboard:DefaultJobLimit ({o.DefaultJobLimit}) is above Dashboard:MaxJobLimit ({o.MaxJobLimit}).");
        }

        var path = o.OrleansDashboardPath?.TrimEnd('/') ?? "";
        if (!(o.OrleansDashboardPath?.StartsWith('/') ?? false)
            || ReservedPaths.Any(r => string.Equals(r, path.Length == 0 ? "/" : path, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"Dashboard:OrleansDashboardPath must start with '/' and not be '/', '/api' or '/metrics' (it is '{o.OrleansDashboardPath}').");
        }

        foreach (var host in o.AllowedHosts.Where(h => string.IsNullOrWhiteSpace(h) || h.Any(c => char.IsWhiteSpace(c) || c is '/' || char.IsControl(c))))
        {
            errors.Add($"Dashboard:AllowedHosts holds '{host}', which is not a host: give a name or address, with ':port' when browsers use one.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
