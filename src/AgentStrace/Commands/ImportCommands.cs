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
        string? codexHome = null, string? geminiDir = null, bool dryRun = false, bool verbose = false, bool noRedact = false,
        CancellationToken cancellationToken = default)
    {
        if (!discover)
        {
            if (string.IsNullOrEmpty(file)) throw new AgentStraceException("import needs a session file or --discover: agent-strace import <file> | import --discover");
            SweepLeftovers();
            var single = new AgentImporter(Cli.OpenStore(), Redactor.For(!noRedact && Redactor.EnabledByEnvironment())) { UnsettledAfter = UnsettledAfter() };
            foreach (ImportResult r in single.Import(file, cancellationToken)) Report(r);
            ReportUnknown(single.Unknown, verbose);
            return 0;
        }
        AgentFormat? only = Choices.Agent.ParseOrNull(agent, "import");
        var files = new List<string>();
        var formats = new Dictionary<string, AgentFormat>(StringComparer.Ordinal);
        var searched = new List<string>();
        if (only is null or AgentFormat.ClaudeCode)
        {
            string dir = claudeDir ?? TranscriptImporter.DefaultClaudeDir();
            searched.Add(Path.Combine(dir, "projects"));
            Add(files, formats, TranscriptImporter.Discover(dir), AgentFormat.ClaudeCode);
        }
        if (only is null or AgentFormat.Codex)
        {
            string dir = codexHome ?? CodexImporter.DefaultHome();
            searched.Add(Path.Combine(dir, "sessions"));
            Add(files, formats, CodexImporter.Discover(dir), AgentFormat.Codex);
        }
        if (only is null or AgentFormat.Gemini)
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
        if (dryRun)
        {
            foreach (string f in files)
            {
                string size = File.Exists(f) ? $"{new FileInfo(f).Length / 1024} KB" : "sub-agents only";
                Console.Out.WriteLine($"  {AgentFormats.AgentName(formats[f]),-11} {Path.GetFileNameWithoutExtension(f)}  {size}  {Path.GetFileName(Path.GetDirectoryName(f))}");
            }
            return 0;
        }
        SweepLeftovers();
        using var progress = new Output.TerminalProgress();
        var gate = new Lock();
        Redactor redactor = Redactor.For(!noRedact && Redactor.EnabledByEnvironment());
        var importer = new AgentImporter(Cli.OpenStore(), redactor) { UnsettledAfter = UnsettledAfter() };
        int[] perAgent = new int[3];
        var import = new HistoryImport(Cli.OpenStore(), redactor, path =>
        {
            AgentFormat format = formats.TryGetValue(path, out AgentFormat known) ? known : AgentFormats.Detect(path);
            return importer.Read(path, format);
        })
        {
            OnSession = (path, _) => Interlocked.Increment(ref perAgent[(int)(formats.TryGetValue(path, out AgentFormat known) ? known : AgentFormats.Detect(path))]),
            OnProgress = (done, f) => { lock (gate) progress.Report(() => $"agent-strace: importing {done}/{files.Count} {Path.GetFileName(f)}"); },
            OnError = (f, ex) => { lock (gate) { progress.Clear(); Output.Text.Warn($"skipping {f}: {ex.Message}"); } },
        };
        HistoryImportSummary sum = import.Run(files, cancellationToken);
        progress.Clear();
        string unchanged = (sum.Unchanged > 0 ? $", {sum.Unchanged} unchanged since the last import" : "")
            + (sum.HeldBack > 0 ? $", {sum.HeldBack} still being written: their last request is read at the next import" : "");
        var counts = new List<string>();
        for (int f = 0; f < perAgent.Length; f++) if (perAgent[f] > 0) counts.Add($"{AgentFormats.AgentName((AgentFormat)f)} {perAgent[f]}");
        Console.Out.WriteLine($"agent-strace: imported {sum.Files - sum.Failed} transcripts into {sum.Sessions} sessions ({sum.NewEvents} new events{unchanged})" + (sum.Failed > 0 ? $", {sum.Failed} failed" : "")
            + (counts.Count > 0 ? "; by agent: " + string.Join(", ", counts) : "") + ".");
        ReportUnknown(importer.Unknown, verbose);
        return 0;
    }

    /// <summary>An import writes into the store's root: temp files and staging directories of killed writers there go first.</summary>
    private static void SweepLeftovers() => Store.StoreLeftovers.Sweep(Cli.OpenStore().Root, sessions: false);

    /// <summary>A response whose last line is younger than this may still be streaming (see TranscriptMapper.Map).</summary>
    private static double UnsettledAfter() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - 120;

    private static void Report(ImportResult r) =>
        Console.Out.WriteLine($"Imported {(r.IsSubagent ? "sub-agent " : "")}session {r.SessionId}: {r.NewEvents} new events, {r.ToolCalls} tool calls, {r.LlmRequests} LLM requests, {r.TotalTokens} tokens, {r.Errors} errors");

    private static void ReportUnknown(UnknownRecords unknown, bool verbose)
    {
        if (unknown.Total == 0) return;
        Output.Text.Warn($"skipped {unknown.Summary()} (a newer agent version?)" + (verbose ? ":" : "; --verbose lists them."));
        if (verbose)
        {
            var counts = unknown.Counts;
            foreach (string kind in unknown.Kinds) Console.Error.WriteLine($"  {kind}: {counts[kind]}");
        }
    }

    private static void Add(List<string> files, Dictionary<string, AgentFormat> formats, List<string> found, AgentFormat format)
    {
        foreach (string f in found)
        {
            string full = Path.GetFullPath(f);
            if (formats.TryAdd(full, format)) files.Add(full);
        }
    }
}
