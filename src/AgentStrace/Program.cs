using AgentStrace;
using AgentStrace.Cli;
using AgentStrace.Cli.Commands;
using ConsoleAppFramework;

// No command ever prints a stack trace, whatever escapes (a flush of stdout at exit on a full disk included).
AppDomain.CurrentDomain.UnhandledException += static (_, e) =>
{
    int code = Cli.Fail(e.ExceptionObject as Exception ?? new InvalidOperationException("unknown failure"));
    Environment.Exit(code);
};
try
{
    return Run(args);
}
catch (Exception ex)
{
    return Cli.Fail(ex);
}

static int Run(string[] args)
{
    Terminal.UseRawStandardStreams();
    // `--version` answers before the command framework is built (its registry of every command is most of a start).
    if (args is ["--version"])
    {
        Console.Out.Write(BuildInfo.Version + "\n");
        return 0;
    }
    // stdout carries data (JSON, OTLP payloads); every diagnostic goes to stderr.
    ConsoleApp.LogError = static message => Cli.ReportParseError(message);
    ConsoleApp.Version = BuildInfo.Version;
    ConsoleApp.Log = static text => Console.Out.WriteLine(HelpText.Rewrite(text));

    // Upstream puts --trace-dir before the command (`agent-strace --trace-dir D export`); accept both places.
    args = Cli.TakeRepeatedHeaders(Cli.TakeTail(Cli.TakeLeadingGlobals(args)));
    // Hot path: Claude Code runs `hook <event>` on every tool call; skip the command framework (threads, filters).
    if (HookCommands.TryRunDirect(args, out int hookExit)) return hookExit;
    args = Cli.HelpAlias(args);
    if (Cli.RejectUnknownCommand(args, ["demo", "list", "inspect", "export", "setup", "hook", "import", "record", "cost", "baseline", "verify", "audit-readiness", "watch", "replay", "stats", "diff", "completion", "ship", "report", "doctor"])) return Cli.FinalExitCode();

    var app = ConsoleApp.Create();
    app.ConfigureGlobalOptions((ref builder) =>
    {
        string traceDir = builder.AddGlobalOption<string>("--trace-dir", "Store directory (default: $AGENT_STRACE_DIR, else $AGENT_TRACE_DIR, else ./.agent-traces).", "");
        return new GlobalOptions(traceDir);
    });
    app.UseFilter<ExitCodeFilter>();
    HelpIndex.Register = Register;
    Register(app);
    Cli.Command = args.Length == 0 || args[0].StartsWith('-') ? "" : args[0] == "baseline" && args.Length > 1 && !args[1].StartsWith('-') ? "baseline " + args[1] : args[0];

    app.Run(args);
    return Cli.FinalExitCode();
}

static void Register(ConsoleApp.ConsoleAppBuilder app)
{
    app.Add<DemoCommands>();
    app.Add<StoreCommands>();
    app.Add<ExportCommands>();
    app.Add<SetupCommands>();
    app.Add<HookCommands>();
    app.Add<ImportCommands>();
    app.Add<RecordCommands>();
    app.Add<CostCommands>();
    app.Add<BaselineCommands>("baseline");
    app.Add<VerifyCommands>();
    app.Add<AuditReadinessCommands>();
    app.Add<WatchCommands>();
    app.Add<ReplayCommands>();
    app.Add<CompletionCommands>();
    app.Add<ShipCommands>();
    app.Add<ReportCommands>();
    app.Add<DoctorCommands>();
}
