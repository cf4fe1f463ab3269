using AgentStrace.Capture.Import;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Import.Codex;
using AgentStrace.Capture.Import.Gemini;
using AgentStrace.Capture.Redaction;
using AgentStrace.Errors;

namespace AgentStrace.Cli.Commands;

internal sealed class ImportCommands
{
    /// <summary>Import Claude Code, Codex CLI and Gemini CLI sessions; re-importing adds only new events.</summary>
    /// <param name="file">Session file to import (a Claude Code transcript, a Codex rollout or a Gemini CLI chat; the format is read from the content).</param>
    /// <param name="discover">Import every session found: ~/.claude/projects, $CODEX_HOME/sessions and archived_sessions, ~/.gemini/tmp/*/chats.</param>
    /// <param name="agent">With --discover: only this agent (claude-code, codex or gemini-cli).</param>
    /// <param name="claudeDir">Claude directory for --discover (default: $CLAUDE_CONFIG_DIR, else ~/.claude).</param>
    /// <param name="codexHome">Codex home for --discover (default: $CODEX_HOME, else ~/.codex).</param>
    /// <param name="geminiDir">Gemini CLI directory for --discover (default: ~/.gemini).</param>
    /// <param name="dryRun">With --discover: only list the sessions found.</param>
    /// <param name="verbose">List the record types that were not recognised (they are skipped, never fatal).</param>
    /// <param name="noRedact">Store secrets unredacted.</param>
    public int Import([ConsoleAppFramework.Argument] string? file = null, bool discover = false, string? agent = null, string? claudeDir = null,
        string? codexHome = null, string? geminiDir = null, bool dryRun = false, bool verbose = false, bool noRedact = false)
    {
        var importer = new AgentImporter(Cli.OpenStore(), Redactor.For(!noRedact && Redactor.EnabledByEnvironment()));
        if (!discover)
        {
            if (string.IsNullOrEmpty(file)) throw new AgentStraceException("import needs a session file or --discover: agent-strace import <file> | import --discover");
            foreach (ImportResult r in importer.Import(file)) Report(r);
            ReportUnknown(importer.Unknown, verbose);
            return 0;
        }
        if (agent is not (null or "claude-code" or "claude" or "codex" or "gemini-cli" or "gemini"))
        {
            throw new AgentStraceException($"--agent must be claude-code, codex or gemini-cli (got '{agent}').");
        }
        var files = new List<(string Path, AgentFormat Format)>();
        var searched = new List<string>();
        if (agent is null or "claude-code" or "claude")
        {
            string dir = claudeDir ?? TranscriptImporter.DefaultClaudeDir();
            searched.Add(Path.Combine(dir, "projects"));
            files.AddRange(TranscriptImporter.Discover(dir).Select(f => (f, AgentFormat.ClaudeCode)));
        }
        if (agent is null or "codex")
        {
            string dir = codexHome ?? CodexImporter.DefaultHome();
            searched.Add(Path.Combine(dir, "sessions"));
            files.AddRange(CodexImporter.Discover(dir).Select(f => (f, AgentFormat.Codex)));
        }
        if (agent is null or "gemini-cli" or "gemini")
        {
            string dir = geminiDir ?? GeminiImporter.DefaultDir();
            searched.Add(Path.Combine(dir, "tmp"));
            files.AddRange(GeminiImporter.Discover(dir).Select(f => (f, AgentFormat.Gemini)));
        }
        if (files.Count == 0)
        {
            Cli.Error($"no sessions found under {string.Join(", ", searched)}.");
            return ExitCodes.Found;
        }
        bool progress = !Console.IsErrorRedirected;
        int sessions = 0, events = 0, failed = 0;
        var perAgent = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++)
        {
            var (path, format) = files[i];
            if (dryRun) { Console.Out.WriteLine($"  {AgentFormats.AgentName(format),-12} {Path.GetFileNameWithoutExtension(path)}  {new FileInfo(path).Length / 1024} KB  {Path.GetFileName(Path.GetDirectoryName(path))}"); continue; }
            if (progress) Console.Error.Write($"\ragent-strace: importing {i + 1}/{files.Count} {Path.GetFileName(path)}\u001b[K");
            try
            {
                foreach (ImportResult r in importer.Import(path, format))
                {
                    sessions++;
                    events += r.NewEvents;
                    perAgent[AgentFormats.AgentName(format)] = perAgent.GetValueOrDefault(AgentFormats.AgentName(format)) + 1;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AgentStraceException or FormatException)
            {
                failed++;
                if (progress) Console.Error.WriteLine();
                Cli.Warn($"skipping {path}: {ex.Message}");
            }
        }
        if (progress && !dryRun) Console.Error.WriteLine();
        if (dryRun) return 0;
        string by = perAgent.Count == 0 ? "" : " (" + string.Join(", ", perAgent.Select(p => $"{p.Key} {p.Value}")) + ")";
        Console.Out.WriteLine($"agent-strace: imported {files.Count - failed} session files into {sessions} sessions{by} ({events} new events)" + (failed > 0 ? $", {failed} failed" : "") + ".");
        ReportUnknown(importer.Unknown, verbose);
        return 0;
    }

    private static void Report(ImportResult r) =>
        Console.Out.WriteLine($"Imported {(r.IsSubagent ? "sub-agent " : "")}session {r.SessionId}: {r.NewEvents} new events, {r.ToolCalls} tool calls, {r.LlmRequests} LLM requests, {r.TotalTokens} tokens, {r.Errors} errors");

    private static void ReportUnknown(UnknownRecords unknown, bool verbose)
    {
        if (unknown.Total == 0) return;
        Cli.Warn($"skipped {unknown.Summary()} (a newer agent version?)" + (verbose ? ":" : "; --verbose lists them."));
        if (verbose) foreach (var (kind, count) in unknown.Counts) Console.Error.WriteLine($"  {kind}: {count}");
    }
}
