using AgentStrace.Cli;
using AgentStrace.Cli.Commands;
using ConsoleAppFramework;

// stdout carries data (JSON, OTLP payloads); every diagnostic goes to stderr.
ConsoleApp.LogError = static message => Cli.ReportParseError(message);
ConsoleApp.Version = BuildInfo.Version;

// Upstream puts --trace-dir before the command (`agent-strace --trace-dir D export`); accept both places.
args = Cli.TakeRepeatedHeaders(Cli.TakeLeadingGlobals(args));
if (Cli.RejectUnknownCommand(args, ["demo", "list", "inspect", "export", "watch"])) return Cli.FinalExitCode();

var app = ConsoleApp.Create();
app.ConfigureGlobalOptions((ref builder) =>
{
    string traceDir = builder.AddGlobalOption<string>("--trace-dir", "Store directory (default: $AGENT_STRACE_DIR, else ./.agent-traces).", "");
    return new GlobalOptions(traceDir);
});
app.UseFilter<ExitCodeFilter>();

app.Add<DemoCommands>();
app.Add<StoreCommands>();
app.Add<ExportCommands>();
app.Add<WatchCommands>();

app.Run(args);
return Cli.FinalExitCode();
