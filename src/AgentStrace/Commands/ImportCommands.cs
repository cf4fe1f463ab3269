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
        var files = new List<string>();
        var formats = new List<AgentFormat>();
        var searched = new List<string>();
        if (agent is null or "claude-code" or "claude")
        {
            string dir = claudeDir ?? TranscriptImporter.DefaultClaudeDir();
            searched.Add(Path.Combine(dir, "projects"));
            Add(files, formats, TranscriptImporter.Discover(dir), AgentFormat.ClaudeCode);
        }
        if (agent is null or "codex")
        {
            string dir = codexHome ?? CodexImporter.DefaultHome();
            searched.Add(Path.Combine(dir, "sessions"));
            Add(files, formats, CodexImporter.Discover(dir), AgentFormat.Codex);
        }
        if (agent is null or "gemini-cli" or "gemini")
        {
            string dir = geminiDir ?? GeminiImporter.DefaultDir();
            searched.Add(Path.Combine(dir, "tmp"));
            Add(files, formats, GeminiImporter.Discover(dir), AgentFormat.Gemini);
        }
        if (files.Count == 0)
        {
            Cli.Error($"no sessions found under {string.Join(", ", searched)}.");
            return ExitCodes.Found;
        }
        bool progress = !Console.IsErrorRedirected;
        int sessions = 0, events = 0, failed = 0;
        int[] perAgent = new int[3];
        for (int i = 0; i < files.Count; i++)
        {
            string path = files[i];
            AgentFormat format = formats[i];
            if (dryRun) { Console.Out.WriteLine($"  {AgentFormats.AgentName(format),-12} {Path.GetFileNameWithoutExtension(path)}  {new FileInfo(path).Length / 1024} KB  {Path.GetFileName(Path.GetDirectoryName(path))}"); continue; }
            if (progress) Console.Error.Write($"\ragent-strace: importing {i + 1}/{files.Count} {Path.GetFileName(path)}\u001b[K");
            try
            {
                foreach (ImportResult r in importer.Import(path, format))
                {
                    sessions++;
                    events += r.NewEvents;
                    perAgent[(int)format]++;
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
        var counts = new List<string>();
        for (int f = 0; f < perAgent.Length; f++) if (perAgent[f] > 0) counts.Add($"{AgentFormats.AgentName((AgentFormat)f)} {perAgent[f]}");
        Console.Out.WriteLine($"agent-strace: imported {files.Count - failed} transcripts into {sessions} sessions ({events} new events)" + (failed > 0 ? $", {failed} failed" : "")
            + (counts.Count > 0 ? "; by agent: " + string.Join(", ", counts) : "") + ".");
        ReportUnknown(importer.Unknown, verbose);
        return 0;
    }

    private static void Report(ImportResult r) =>
        Console.Out.WriteLine($"Imported {(r.IsSubagent ? "sub-agent " : "")}session {r.SessionId}: {r.NewEvents} new events, {r.ToolCalls} tool calls, {r.LlmRequests} LLM requests, {r.TotalTokens} tokens, {r.Errors} errors");

    private static void ReportUnknown(UnknownRecords unknown, bool verbose)
    {
        if (unknown.Total == 0) return;
        Cli.Warn($"skipped {unknown.Summary()} (a newer agent version?)" + (verbose ? ":" : "; --verbose lists them."));
        if (verbose) foreach (string kind in unknown.Kinds) Console.Error.WriteLine($"  {kind}: {unknown.Counts[kind]}");
    }

    private static void Add(List<string> files, List<AgentFormat> formats, List<string> found, AgentFormat format)
    {
        files.AddRange(found);
        for (int i = 0; i < found.Count; i++) formats.Add(format);
    }
}
