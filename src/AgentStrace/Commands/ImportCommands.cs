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
        var importer = new TranscriptImporter(Cli.OpenStore(), Redactor.For(!noRedact && Redactor.EnabledByEnvironment()));
        if (!discover)
        {
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
        bool progress = !Console.IsErrorRedirected;
        int sessions = 0, events = 0, failed = 0;
        for (int i = 0; i < files.Count; i++)
        {
            if (dryRun) { Console.Out.WriteLine($"  {Path.GetFileNameWithoutExtension(files[i])}  {new FileInfo(files[i]).Length / 1024} KB  {Path.GetFileName(Path.GetDirectoryName(files[i]))}"); continue; }
            if (progress) Console.Error.Write($"\ragent-strace: importing {i + 1}/{files.Count} {Path.GetFileName(files[i])}\u001b[K");
            try
            {
                foreach (ImportResult r in importer.Import(files[i])) { sessions++; events += r.NewEvents; }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AgentStraceException)
            {
                failed++;
                if (progress) Console.Error.WriteLine();
                Output.Text.Warn($"skipping {files[i]}: {ex.Message}");
            }
        }
        if (progress && !dryRun) Console.Error.WriteLine();
        if (!dryRun) Console.Out.WriteLine($"agent-strace: imported {files.Count - failed} transcripts into {sessions} sessions ({events} new events)" + (failed > 0 ? $", {failed} failed" : "") + ".");
        return 0;
    }

    private static void Report(ImportResult r) =>
        Console.Out.WriteLine($"Imported {(r.IsSubagent ? "sub-agent " : "")}session {r.SessionId}: {r.NewEvents} new events, {r.ToolCalls} tool calls, {r.LlmRequests} LLM requests, {r.TotalTokens} tokens, {r.Errors} errors");
}
