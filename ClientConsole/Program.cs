using OrleansQueue.Cli;
using OrleansQueue.Cli.Batch;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Cli.Live;

// Stdout carries only command output; every failure is one "error: ..." line on stderr and an exit code (see ExitCodes).
// Live views (submit --wait, status --watch, watch) draw only when stdout is a terminal; otherwise they print plain lines.
var app = new CliApp(new OrleansQueueConnector(), showPrompt: !Console.IsInputRedirected, terminal: Terminal.OfStdout());
// Redirected stdin (a jobs file for submit --file -, or a session's commands) is read as strict UTF-8: bytes that are
// not UTF-8 are refused, never replaced in a job's data. A terminal keeps the console's own reader.
var stdin = Console.IsInputRedirected ? JobsFile.OpenStrict(Console.OpenStandardInput()) : Console.In;
return await app.RunAsync(args, stdin, Console.Out, Console.Error);
