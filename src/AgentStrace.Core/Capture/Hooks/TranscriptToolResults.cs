using AgentStrace.Capture.Import;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// The real outcome of calls that got no Post hook (permission denials, rejections): Claude Code still writes a
/// <c>tool_result</c> block (<c>is_error</c> and the message given to the model) to the transcript. Reads only the
/// last <see cref="TailBytes"/> of the file.
/// </summary>
public static class TranscriptToolResults
{
    public const int TailBytes = 1024 * 1024;

    public sealed class Outcome(bool isError, string text)
    {
        public bool IsError { get; } = isError;
        public string Text { get; } = text;
    }

    /// <summary>The tool_result of each id in <paramref name="toolUseIds"/> found in the transcript's tail.</summary>
    public static Dictionary<string, Outcome> Find(string transcriptPath, IReadOnlyCollection<string> toolUseIds)
    {
        var found = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        string path = TranscriptUsage.Expand(transcriptPath);
        if (path.Length == 0 || toolUseIds.Count == 0) return found;
        byte[]? tail = SubagentFiles.ReadTail(path, TailBytes);
        if (tail is null) return found;
        var wanted = new HashSet<string>(toolUseIds, StringComparer.Ordinal);
        // A full window may start mid-line: skip to the first whole line.
        int pos = tail.Length < TailBytes ? 0 : tail.AsSpan().IndexOf((byte)'\n') + 1;
        while (pos < tail.Length)
        {
            int nl = tail.AsSpan(pos).IndexOf((byte)'\n');
            if (nl < 0) break;
            var line = new ReadOnlyMemory<byte>(tail, pos, nl);
            pos += nl + 1;
            if (line.Span.IndexOf("\"tool_result\""u8) < 0) continue;
            TranscriptEntry? e;
            try { e = TranscriptReader.Parse(line); }
            catch (System.Text.Json.JsonException) { continue; }
            if (e is null || e.Type != "user") continue;
            foreach (RawJsonValue block in RawJsonObject.Elements(e.Message.Get("content"u8)))
            {
                RawJsonObject b = block.AsObject();
                if (b.GetString("type"u8) != "tool_result" || !wanted.Contains(b.GetString("tool_use_id"u8))) continue;
                found[b.GetString("tool_use_id"u8)] = new Outcome(b.IsTruthy("is_error"u8), TranscriptMapper.ResultText(b.Get("content"u8)));
            }
        }
        return found;
    }

    /// <summary>A short machine-readable kind for an error outcome.</summary>
    public static string ErrorType(string text) =>
        text.Contains("requested permissions", StringComparison.Ordinal) || text.Contains("permission", StringComparison.OrdinalIgnoreCase) ? "permission_denied"
        : text.Contains("doesn't want to proceed", StringComparison.Ordinal) || text.Contains("rejected", StringComparison.OrdinalIgnoreCase) ? "rejected"
        : text.Contains("interrupted", StringComparison.OrdinalIgnoreCase) ? "interrupted"
        : "tool_error";
}
