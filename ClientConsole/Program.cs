using OrleansQueue.Cli;
using OrleansQueue.Cli.Connection;

// Stdout carries only command output; every failure is one "error: ..." line on stderr and an exit code (see ExitCodes).
var app = new CliApp(new OrleansQueueConnector(), showPrompt: !Console.IsInputRedirected);
return await app.RunAsync(args, Console.In, Console.Out, Console.Error);
