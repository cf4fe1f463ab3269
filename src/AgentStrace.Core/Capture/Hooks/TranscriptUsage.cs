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
/// llm_request/llm_response pair (deduplicated by message id + request id). A request whose lines are still being
/// written (the last one read, without a stop_reason) is left for the next read, which starts at its first line,
/// unless the read is the session's final one.
/// </summary>
public static class TranscriptUsage
{
    private const int SeenLimit = 2000;

    /// <summary>Reads new transcript lines into the session; the caller holds the session lock.</summary>
    public static void IngestLocked(string sessionDir, string sessionId, string transcriptPath, bool sidechainFile, Redactor redactor, bool final = false)
    {
        string path = Expand(transcriptPath);
        if (path.Length == 0 || !path.EndsWith(".jsonl", StringComparison.Ordinal) || !File.Exists(path)) return;
        string statePath = Path.Combine(sessionDir, ".transcript-state");
        long offset = 0;
        var seen = new List<string>();
        if (File.Exists(statePath))
        {
            string[] lines = File.ReadAllLines(statePath);
            // The offset belongs to one file; the seen keys hold for any (the same transcript may be named two ways).
            if (lines.Length > 0 && lines[0].IndexOf(' ') is int sp and > 0 && lines[0][(sp + 1)..] == path)
            {
                offset = long.Parse(lines[0].AsSpan(0, sp), CultureInfo.InvariantCulture);
            }
            seen.AddRange(lines.Skip(1));
        }
        List<TranscriptEntry> entries = TranscriptReader.ReadFile(path, offset, out long end, out _);
        if (!sidechainFile) entries.RemoveAll(e => e.IsSidechain);
        var seenSet = new HashSet<string>(seen, StringComparer.Ordinal);
        var writer = new EventWriter(sessionDir);
        long requests = 0, tokens = 0;
        List<LlmCall> calls = LlmCalls.Group(entries).Values.OrderBy(c => c.FirstIndex).ToList();
        if (!final && calls.Count > 0 && calls[^1].StopReason.Length == 0 && !seenSet.Contains(calls[^1].MessageId + " " + calls[^1].RequestId)
            && LineStart(path, offset, end, calls[^1].MessageId) is long resume)
        {
            calls.RemoveAt(calls.Count - 1);
            end = resume;
        }
        foreach (LlmCall call in calls)
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

    /// <summary>Offset of the first line in [from, to) naming message <paramref name="messageId"/>, or null.</summary>
    private static long? LineStart(string path, long from, long to, string messageId)
    {
        if (to - from > 64L << 20) return null; // far too much to hold back: ingest as it is
        byte[] bytes = new byte[to - from];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            if (file.Length < to) return null;
            file.Seek(from, SeekOrigin.Begin);
            file.ReadExactly(bytes);
        }
        int at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("\"id\":\"" + messageId + "\""));
        if (at < 0) return null;
        return from + bytes.AsSpan(0, at).LastIndexOf((byte)'\n') + 1;
    }

    /// <summary>Expands a leading <c>~/</c>; returns "" for relative paths.</summary>
    public static string Expand(string path)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home) path = Path.Combine(home, path[2..]);
        return Path.IsPathRooted(path) ? path : "";
    }
}
