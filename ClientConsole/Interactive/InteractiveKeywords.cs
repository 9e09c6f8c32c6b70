namespace OrleansQueue.Cli.Interactive;

/// <summary>
/// The first word of an interactive line, as the job servers we replace spell it (<c>SUBMIT</c>, <c>JOB_STATUS</c>,
/// <c>METRICS_GET</c>, ...), mapped to this console's command names. Any case is accepted, and the console's own
/// names (<c>status</c>, <c>metrics</c>, ...) map to themselves.
/// </summary>
internal static class InteractiveKeywords
{
    /// <summary>Prints the session's commands, or with a command name that command's options.</summary>
    public const string Help = "help";

    /// <summary>Closes the connection and ends the session.</summary>
    public const string Shutdown = "shutdown";

    private static readonly Dictionary<string, string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SUBMIT"] = "submit",
        ["JOB_STATUS"] = "status",
        ["STATUS"] = "status",
        ["METRICS_GET"] = "metrics",
        ["METRICS"] = "metrics",
        ["CANCEL"] = "cancel",
        ["REQUEUE"] = "requeue",
        ["LIST"] = "list",
        ["WATCH"] = "watch",
        ["HELP"] = Help,
        ["--help"] = Help,
        ["-h"] = Help,
        ["?"] = Help,
        ["SHUTDOWN"] = Shutdown,
        ["QUIT"] = Shutdown,
        ["EXIT"] = Shutdown,
    };

    /// <summary>The command name for <paramref name="keyword"/>, <see cref="Help"/>, <see cref="Shutdown"/>,
    /// or null when it names nothing.</summary>
    public static string? Map(string keyword) => Keywords.GetValueOrDefault(keyword);

    public const string Usage = """
        Commands, one per line (names in any case; options as --name=value or --name value):
          SUBMIT TYPE [--payload=FILE | --data=TEXT] [--priority=N] [--retries=N] [--deadline=SECONDS] [--backoff=SECONDS] [--json]
                 [--wait [--wait-timeout=SECONDS] | --count=N]
          SUBMIT [TYPE] --file=FILE [--json] [--data=TEXT --priority=N ...]   the jobs of a JSON Lines file, one a line;
                 the options are the defaults of lines that omit them (the file cannot be -, stdin, here)
          JOB_STATUS ID [--json] [--watch [--wait-timeout=SECONDS]]
          METRICS_GET [--json]
          CANCEL ID
          REQUEUE ID
          LIST --status=pending|delayed|processing|completed|failed|cancelled|buried [--limit=N] [--json]
          WATCH [--interval=SECONDS]   the queue live; Ctrl-C ends it and returns to this prompt
          HELP [COMMAND]      a command's options, e.g. HELP SUBMIT
          SHUTDOWN            close the connection and exit (so does end of input)
        --wait and --watch follow a job until it finishes; Ctrl-C stops following (the job goes on).
        The names submit, status, metrics, cancel, requeue, list and watch work too.
        """;
}
