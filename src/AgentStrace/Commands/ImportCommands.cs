using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.Errors;

namespace AgentStrace.Cli.Commands;

internal sealed class ImportCommands
{
    /// <summary>Import Claude Code transcripts (~/.claude/projects/*/*.jsonl) as sessions; re-importing adds only new events.</summary>
    /// <param name="file">Transcript .jsonl file to import.</param>
    /// <param name="discover">Import every transcript under the Claude directory.</param>
    /// <param name="claudeDir">Claude directory for --discover (default: $CLAUDE_CONFIG_DIR, else ~/.claude).</param>
    /// <param name="dryRun">With --discover: only list the transcripts found.</param>
    /// <param name="noRedact">Store secrets unredacted.</param>
    public int Import([ConsoleAppFramework.Argument] string? file = null, bool discover = false, string? claudeDir = null, bool dryRun = false, bool noRedact = false)
    {
        if (!discover)
        {
            var importer = new TranscriptImporter(Cli.OpenStore(), Redactor.For(!noRedact && Redactor.EnabledByEnvironment()));
            if (string.IsNullOrEmpty(file)) throw new AgentStraceException("import needs a transcript file or --discover: agent-strace import <file.jsonl> | import --discover");
            foreach (ImportResult r in importer.Import(file)) Report(r);
            return 0;
        }
        string dir = claudeDir ?? TranscriptImporter.DefaultClaudeDir();
        List<string> files = TranscriptImporter.Discover(dir);
        if (files.Count == 0)
        {
            Cli.Error($"no Claude Code sessions found under {Path.Combine(dir, "projects")}.");
            return ExitCodes.Found;
        }
        if (dryRun)
        {
            foreach (string f in files)
            {
                string size = File.Exists(f) ? $"{new FileInfo(f).Length / 1024} KB" : "sub-agents only";
                Console.Out.WriteLine($"  {Path.GetFileNameWithoutExtension(f)}  {size}  {Path.GetFileName(Path.GetDirectoryName(f))}");
            }
            return 0;
        }
        bool progress = !Console.IsErrorRedirected;
        var gate = new Lock();
        Redactor redactor = Redactor.For(!noRedact && Redactor.EnabledByEnvironment());
        var import = new HistoryImport(Cli.OpenStore(), redactor, path => TranscriptImporter.Read(path, redactor))
        {
            OnProgress = progress ? (done, f) => { lock (gate) Console.Error.Write($"\ragent-strace: importing {done}/{files.Count} {Path.GetFileName(f)}\u001b[K"); } : null,
            OnError = (f, ex) => { lock (gate) { if (progress) Console.Error.WriteLine(); Output.Text.Warn($"skipping {f}: {ex.Message}"); } },
        };
        HistoryImportSummary sum = import.Run(files);
        if (progress) Console.Error.Write("\r\u001b[K");
        string unchanged = sum.Unchanged > 0 ? $", {sum.Unchanged} unchanged since the last import" : "";
        Console.Out.WriteLine($"agent-strace: imported {sum.Files - sum.Failed} transcripts into {sum.Sessions} sessions ({sum.NewEvents} new events{unchanged})" + (sum.Failed > 0 ? $", {sum.Failed} failed" : "") + ".");
        return 0;
    }

    private static void Report(ImportResult r) =>
        Console.Out.WriteLine($"Imported {(r.IsSubagent ? "sub-agent " : "")}session {r.SessionId}: {r.NewEvents} new events, {r.ToolCalls} tool calls, {r.LlmRequests} LLM requests, {r.TotalTokens} tokens, {r.Errors} errors");
}
