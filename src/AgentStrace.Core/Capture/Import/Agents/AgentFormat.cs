using AgentStrace.Errors;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Agents;

public enum AgentFormat
{
    ClaudeCode,
    Codex,
    Gemini,
}

/// <summary>
/// Tells a session file's agent from its content, never from its name: the first lines of a Codex rollout carry
/// <c>type</c> + <c>payload</c> envelopes (or a legacy <c>{id, instructions}</c> head), a Gemini chat is a document or
/// journal with <c>sessionId</c> + <c>projectHash</c> / <c>$set</c> / <c>$rewindTo</c> lines, a Claude Code
/// transcript has lines with <c>uuid</c>/<c>sessionId</c> and a <c>type</c>. Anything else is refused.
/// </summary>
public static class AgentFormats
{
    private const int HeadLines = 20;

    public static AgentFormat Detect(string path)
    {
        // A Claude Code session folder whose transcript is gone (only subagents/ left) is still Claude Code's.
        if (!File.Exists(path) && Directory.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path), "subagents"))) return AgentFormat.ClaudeCode;
        if (!File.Exists(path)) throw new AgentStraceException($"Session file '{path}' not found; give a Claude Code, Codex or Gemini CLI session file, or use --discover.");
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            using FileStream stream = FileSystem.SafeFile.OpenRead(path); // regular files only: a FIFO would block
            var head = new byte[Math.Min(stream.Length, 1 << 16)];
            stream.ReadExactly(head);
            string text = System.Text.Encoding.UTF8.GetString(head);
            if (text.Contains("\"sessionId\"", StringComparison.Ordinal) && text.Contains("\"messages\"", StringComparison.Ordinal)) return AgentFormat.Gemini;
            throw Unknown(path, "a JSON document without Gemini CLI's sessionId and messages");
        }
        AgentFormat? found = null;
        string first = "";
        int seen = 0;
        // Only the first lines are read (the rest of a large file, or one huge line further on, is the reader's).
        using (var lines = new JsonlLines(path))
        {
            while (found is null && seen < HeadLines && lines.MoveNext())
            {
                ReadOnlyMemory<byte> raw = lines.Current;
                seen++;
                if (first.Length == 0) first = System.Text.Encoding.UTF8.GetString(raw.Span[..Math.Min(raw.Length, 80)]);
                try { found = Classify(new RawJsonObject(raw)); }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException) { }
            }
        }
        if (found is { } format) return format;
        throw Unknown(path, seen == 0 ? "an empty file" : $"first line: {first}");
    }

    private static AgentFormat? Classify(RawJsonObject line)
    {
        string type = line.GetString("type"u8);
        if (line.TryGet("payload"u8, out RawJsonValue payload) && payload.IsObject && type.Length > 0) return AgentFormat.Codex;
        if (line.TryGet("$set"u8, out _) || line.TryGet("$rewindTo"u8, out _)) return AgentFormat.Gemini;
        if (line.TryGet("sessionId"u8, out _) && line.TryGet("projectHash"u8, out _)) return AgentFormat.Gemini;
        if (line.TryGet("uuid"u8, out _) || line.TryGet("parentUuid"u8, out _) || (type.Length > 0 && line.TryGet("sessionId"u8, out _))) return AgentFormat.ClaudeCode;
        if (type is "summary" or "queue-operation" or "file-history-snapshot") return AgentFormat.ClaudeCode;
        if (type is "user" or "gemini" or "info" or "error" or "warning" && line.TryGet("id"u8, out _) && line.TryGet("content"u8, out _)) return AgentFormat.Gemini;
        if (type.Length == 0 && line.GetString("id"u8).Length > 0 && (line.TryGet("instructions"u8, out _) || line.TryGet("git"u8, out _))) return AgentFormat.Codex;
        return null;
    }

    private static AgentStraceException Unknown(string path, string what) =>
        new($"'{path}' is not a Claude Code, Codex or Gemini CLI session file ({what}); nothing was imported.");

    public static string AgentName(AgentFormat f) => f switch
    {
        AgentFormat.Codex => "codex",
        AgentFormat.Gemini => "gemini-cli",
        _ => "claude-code",
    };
}
