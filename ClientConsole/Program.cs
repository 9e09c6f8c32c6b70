using OrleansQueue.Cli;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Cli.Live;

// Stdout carries only command output; every failure is one "error: ..." line on stderr and an exit code (see ExitCodes).
// Live views (submit --wait, status --watch, watch) draw only when stdout is a terminal; otherwise they print plain lines.
var app = new CliApp(new OrleansQueueConnector(), showPrompt: !Console.IsInputRedirected, terminal: Terminal.OfStdout());
return await app.RunAsync(args, Console.In, Console.Out, Console.Error);
