namespace OrleansQueue.Silo.Hosting;

/// <summary>The silo takes configuration keys as switches (<c>--Queue:WorkerTimeout=00:00:05</c>) plus a few short
/// names. This only catches what the configuration binder would silently ignore: a misspelt switch or a missing value.</summary>
internal static class SiloCommandLine
{
    public const string Usage = """
        usage: OrleansQueue.Silo [--silo-port N] [--gateway-port N] [--cluster-id ID] [--service-id ID] [--primary-silo-port N]
                                 [--dashboard-port N]        dashboard, JSON API and /metrics on 127.0.0.1:N (default 8080, 0 = off)
                                 [--storage local|memory]    job state in this silo's memory (default; one silo), or in
                                                             Orleans' memory storage shared by a multi-silo cluster
                                 [--storage redis --redis HOST:PORT]  job state, reminders and membership in Redis: any
                                                             number of silos, jobs outlive them (--Membership:Key=value tunes failure detection)
                                 [--Section:Key=value ...]   any configuration key, e.g. --Queue:WorkerTimeout=00:00:10
        """;

    /// <summary>The short switches and the configuration keys they set (a fresh copy, as the configuration API wants one it may keep).</summary>
    public static Dictionary<string, string> Switches => new(StringComparer.OrdinalIgnoreCase)
    {
        ["--silo-port"] = "Silo:SiloPort",
        ["--gateway-port"] = "Silo:GatewayPort",
        ["--cluster-id"] = "Silo:ClusterId",
        ["--service-id"] = "Silo:ServiceId",
        ["--primary-silo-port"] = "Silo:PrimarySiloPort",
        ["--dashboard-port"] = "Silo:DashboardPort",
        ["--storage"] = "Silo:Storage",
        ["--redis"] = "Silo:Redis",
    };

    public static string? Check(string[] args) => Check(args, Switches);

    public static string? Check(string[] args, IReadOnlyDictionary<string, string> switches)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                return $"unexpected argument '{arg}'";
            }

            var name = arg.Split('=', 2)[0];
            if (!switches.ContainsKey(name) && !name.Contains(':', StringComparison.Ordinal))
            {
                return $"unknown option '{name}'";
            }

            if (!arg.Contains('=', StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return $"option '{name}' needs a value";
                }

                i++;
            }
        }

        return null;
    }
}
