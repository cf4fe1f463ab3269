using System.Globalization;
using System.Text;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Model and token usage for hook-captured sessions: at Stop / SubagentStop / SessionEnd the transcript is read
/// from the offset remembered in <c>&lt;session&gt;/.transcript-state</c>, and each new API request becomes an
/// llm_request/llm_response pair (deduplicated by message id + request id).
/// </summary>
public static class TranscriptUsage
{
    private const int SeenLimit = 2000;

    /// <summary>Reads new transcript lines into the session; the caller holds the session lock.</summary>
    public static void IngestLocked(string sessionDir, string sessionId, string transcriptPath, bool sidechainFile, Redactor redactor)
    {
        string path = Expand(transcriptPath);
        if (path.Length == 0 || !path.EndsWith(".jsonl", StringComparison.Ordinal) || !File.Exists(path)) return;
        string statePath = Path.Combine(sessionDir, ".transcript-state");
        long offset = 0;
        var seen = new List<string>();
        if (File.Exists(statePath))
        {
            string[] lines = File.ReadAllLines(statePath);
            if (lines.Length > 0 && lines[0].IndexOf(' ') is int sp and > 0 && lines[0][(sp + 1)..] == path)
            {
                offset = long.Parse(lines[0].AsSpan(0, sp), CultureInfo.InvariantCulture);
                seen.AddRange(lines.Skip(1));
            }
        }
        List<TranscriptEntry> entries = TranscriptReader.ReadFile(path, offset, out long end, out _);
        if (!sidechainFile) entries.RemoveAll(e => e.IsSidechain);
        var seenSet = new HashSet<string>(seen, StringComparer.Ordinal);
        var writer = new EventWriter(sessionDir);
        long requests = 0, tokens = 0;
        foreach (LlmCall call in LlmCalls.Group(entries).Values.OrderBy(c => c.FirstIndex))
        {
            string key = call.MessageId + " " + call.RequestId;
            if (!seenSet.Add(key)) continue;
            seen.Add(key);
            var (request, response) = LlmEvents.Build(call, sessionId);
            writer.AppendLocked(redactor.Apply(request));
            writer.AppendLocked(redactor.Apply(response));
            requests++;
            tokens += call.TotalTokens;
        }
        if (requests > 0)
        {
            HookStore.UpdateMetaLocked(sessionDir, m => { m.LlmRequests += requests; m.TotalTokens += tokens; });
        }
        var state = new StringBuilder();
        state.Append(end.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(path).Append('\n');
        foreach (string k in seen.Skip(Math.Max(0, seen.Count - SeenLimit))) state.Append(k).Append('\n');
        string temp = statePath + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, state.ToString());
        File.Move(temp, statePath, overwrite: true);
    }

    /// <summary>Expands a leading <c>~/</c>; returns "" for relative paths.</summary>
    public static string Expand(string path)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home) path = Path.Combine(home, path[2..]);
        return Path.IsPathRooted(path) ? path : "";
    }
}
