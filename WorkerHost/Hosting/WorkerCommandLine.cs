using System.Globalization;

namespace OrleansQueue.Worker.Hosting;

/// <summary>
/// Turns the worker's switches into configuration keys. Short switches (<c>--concurrency 8</c> or
/// <c>--concurrency=8</c>) map to the <c>Worker</c> section; time switches take seconds and become
/// <see cref="TimeSpan"/> values. Any <c>--Section:Key value</c> passes through as is. Formats are checked here,
/// ranges by <see cref="WorkerOptionsValidator"/>.
/// </summary>
internal static class WorkerCommandLine
{
    public const string Usage = """
        usage: OrleansQueue.WorkerHost [options]
          --name NAME                 worker name (default {hostname}-{pid})
          --concurrency N             job slots, 1 to 1024 (default 4)
          --gateway HOST:PORT[,...]   silo gateway(s) (default 127.0.0.1:30000)
          --redis HOST:PORT           find the silos in the cluster's Redis (silos run with --storage redis)
          --cluster-id ID             cluster id, as the silo's (default orleans-queue)
          --service-id ID             service id, as the silo's (default orleans-queue)
          --grace SECONDS             on Ctrl-C/SIGTERM, time running jobs get to finish before they are handed back (default 10)
          --heartbeat SECONDS         heartbeat interval (default 2)
          --lease-wait SECONDS        long-poll wait of one lease call, 1 s under the response timeout (default 3)
          --response-timeout SECONDS  how long a call waits for its answer before it is sent again (default 5)
          --connect-timeout SECONDS   how long to try reaching the silo at start (default 10)
          --Worker:Key=value          any configuration key, e.g. --Worker:Concurrency=8 (env: Worker__Concurrency=8)
          -h, --help                  show this text
        exit codes: 0 stopped, 1 failed, 2 bad arguments or configuration, 4 silo unreachable
        """;

    private enum ValueKind
    {
        Text,
        WholeNumber,
        Seconds,
    }

    private static readonly Dictionary<string, (string Key, ValueKind Kind)> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--name"] = ("Worker:Name", ValueKind.Text),
        ["--concurrency"] = ("Worker:Concurrency", ValueKind.WholeNumber),
        ["--gateway"] = ("Worker:Gateway", ValueKind.Text),
        ["--redis"] = ("Worker:Redis", ValueKind.Text),
        ["--response-timeout"] = ("Worker:ResponseTimeout", ValueKind.Seconds),
        ["--cluster-id"] = ("Worker:ClusterId", ValueKind.Text),
        ["--service-id"] = ("Worker:ServiceId", ValueKind.Text),
        ["--grace"] = ("Worker:Grace", ValueKind.Seconds),
        ["--heartbeat"] = ("Worker:HeartbeatInterval", ValueKind.Seconds),
        ["--lease-wait"] = ("Worker:LeaseWait", ValueKind.Seconds),
        ["--connect-timeout"] = ("Worker:ConnectTimeout", ValueKind.Seconds),
    };

    public static CommandLineResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                return Failed($"unexpected argument '{arg}'");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var known = Switches.TryGetValue(name, out var spec);
            if (!known && !name.Contains(':', StringComparison.Ordinal))
            {
                return Failed($"unknown option '{name}'");
            }

            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                return Failed($"option '{name}' needs a value");
            }

            if (!known)
            {
                settings[name[2..]] = value;
                continue;
            }

            if (Convert(name, value, spec.Kind, out var converted) is { } error)
            {
                return Failed(error);
            }

            settings[spec.Key] = converted;
        }

        return new CommandLineResult(settings, help, null);
    }

    private static string? Convert(string name, string value, ValueKind kind, out string converted)
    {
        converted = value;
        switch (kind)
        {
            case ValueKind.WholeNumber:
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    return $"option '{name}' needs a whole number, got '{value}'";
                }

                converted = number.ToString(CultureInfo.InvariantCulture);
                return null;
            case ValueKind.Seconds:
                // Bounded well past every valid setting so that the conversion cannot overflow; ranges are the validator's.
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    || !double.IsFinite(seconds) || Math.Abs(seconds) > 1e9)
                {
                    return $"option '{name}' needs a number of seconds, got '{value}'";
                }

                converted = TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
                return null;
            default:
                return null;
        }
    }

    private static CommandLineResult Failed(string error) =>
        new(new Dictionary<string, string?>(), false, error);
}
