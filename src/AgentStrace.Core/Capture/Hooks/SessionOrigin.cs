using System.Buffers;
using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// <c>&lt;session&gt;/.session-origin.json</c>: the agent's own session id when it could not be the directory name
/// (a reserved name, <c>..</c>, slashes, control characters, too long) and was mapped to a stable hash. Kept beside
/// meta.json, not in it, because meta.json holds only the keys the Python tool knows.
/// </summary>
public static class SessionOrigin
{
    public const string FileName = ".session-origin.json";

    public static void Remember(string sessionDir, string original)
    {
        string path = Path.Combine(sessionDir, FileName);
        if (SafeFile.KindOf(path) != FileKind.Missing) return;
        var buffer = new ArrayBufferWriter<byte>(original.Length + 48);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        w.WriteString("original_session_id", original.Length > 4096 ? original[..4096] : original);
        w.WriteEndObject();
        SafeFile.WriteAtomic(path, buffer.WrittenSpan);
    }

    /// <summary>The original id, or "" when the session's id was used as it came.</summary>
    public static string Read(string sessionDir) =>
        SafeFile.TryReadAllBytes(Path.Combine(sessionDir, FileName), 64 << 10) is { } bytes ? new RawJsonObject(bytes).GetString("original_session_id"u8) : "";
}
