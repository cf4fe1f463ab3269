using System.Globalization;
using System.Text;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Redaction;
using AgentStrace.FileSystem;
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

    /// <summary>Bytes read per step: bounds memory (a 2 GiB backlog is read in steps) and lets a deadline stop between steps.</summary>
    public const long StepBytes = 8 << 20;

    private const int BatchRequests = 256;

    /// <summary>
    /// Reads new transcript lines into the session; the caller holds the session lock. The transcript must be a regular
    /// file (never a link, FIFO or device). It is read in steps of <see cref="StepBytes"/>; with a
    /// <paramref name="deadline"/>, reading stops when less than a quarter of a second is left, and the saved offset
    /// (the first line of the first request not stored) makes the next call continue there.
    /// </summary>
    public static void IngestLocked(string sessionDir, string sessionId, string transcriptPath, bool sidechainFile, Redactor redactor,
        bool final = false, HookDeadline? deadline = null)
    {
        string path = Expand(transcriptPath);
        if (path.Length == 0 || !path.EndsWith(".jsonl", StringComparison.Ordinal) || SafeFile.KindOf(path) != FileKind.Regular) return;
        string statePath = Path.Combine(sessionDir, ".transcript-state");
        long offset = 0;
        var seen = new List<string>();
        if (SafeFile.TryReadAllText(statePath, 1 << 20) is { } stateText)
        {
            string[] lines = stateText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // The offset belongs to one file; the seen keys hold for any (the same transcript may be named two ways).
            if (lines.Length > 0 && lines[0].IndexOf(' ') is int sp and > 0 && lines[0][(sp + 1)..] == path
                && long.TryParse(lines[0].AsSpan(0, sp), NumberStyles.None, CultureInfo.InvariantCulture, out long saved))
            {
                offset = saved;
            }
            seen.AddRange(lines.Skip(1));
        }
        var seenSet = new HashSet<string>(seen, StringComparer.Ordinal);
        var writer = new EventWriter(sessionDir);
        long requests = 0, tokens = 0;
        bool stopped = false;
        try
        {
            while (!stopped && !OutOfTime(deadline))
            {
                long available = new FileInfo(path).Length - offset;
                List<TranscriptEntry> entries = TranscriptReader.ReadFile(path, offset, out long end, out _, StepBytes);
                if (end == offset) break;
                if (!sidechainFile) entries.RemoveAll(e => e.IsSidechain);
                List<LlmCall> calls = LlmCalls.Group(entries).Values.OrderBy(c => c.FirstIndex).ToList();
                // The last request read may still be streaming (no stop_reason yet) or continue past this step: it is
                // read again next time from its first line, unless this is the session's final read of the file.
                bool cut = available > StepBytes;
                if ((cut || !final) && calls.Count > 0 && (cut || calls[^1].StopReason.Length == 0)
                    && !seenSet.Contains(calls[^1].MessageId + " " + calls[^1].RequestId)
                    && entries[calls[^1].FirstIndex].Offset is long resume && resume > offset)
                {
                    calls.RemoveAt(calls.Count - 1);
                    end = resume;
                }
                var batch = new List<TraceEvent>(BatchRequests * 2);
                foreach (LlmCall call in calls)
                {
                    string key = call.MessageId + " " + call.RequestId;
                    if (seenSet.Contains(key)) continue;
                    if (OutOfTime(deadline))
                    {
                        // The next call resumes at this request's first line; requests stored before it that have
                        // lines after it are skipped by their ids in `seen`.
                        stopped = true;
                        end = entries[call.FirstIndex].Offset;
                        break;
                    }
                    seenSet.Add(key);
                    seen.Add(key);
                    var (request, response) = LlmEvents.Build(call, sessionId);
                    batch.Add(redactor.Apply(request));
                    batch.Add(redactor.Apply(response));
                    requests++;
                    tokens += call.TotalTokens;
                    if (batch.Count >= BatchRequests * 2)
                    {
                        writer.AppendBatchLocked(batch);
                        batch.Clear();
                    }
                }
                writer.AppendBatchLocked(batch);
                bool progressed = end > offset;
                offset = end;
                SaveState(statePath, path, offset, seen);
                if (!cut || !progressed) break;
            }
        }
        finally
        {
            if (requests > 0) HookStore.UpdateMetaLocked(sessionDir, m => { m.LlmRequests += requests; m.TotalTokens += tokens; });
        }
    }

    private static bool OutOfTime(HookDeadline? deadline) => deadline is not null && !deadline.HasLeft(TimeSpan.FromMilliseconds(250));

    private static void SaveState(string statePath, string path, long offset, List<string> seen)
    {
        var state = new StringBuilder();
        state.Append(offset.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(path).Append('\n');
        foreach (string k in seen.Skip(Math.Max(0, seen.Count - SeenLimit))) state.Append(k).Append('\n');
        SafeFile.WriteAtomic(statePath, state.ToString());
    }

    /// <summary>Expands a leading <c>~/</c>; returns "" for relative paths.</summary>
    public static string Expand(string path)
    {
        if (path.StartsWith("~/", StringComparison.Ordinal) && Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home) path = Path.Combine(home, path[2..]);
        return Path.IsPathRooted(path) ? path : "";
    }
}
