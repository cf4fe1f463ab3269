using System.Buffers;
using System.Globalization;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Live.Watchdog;

/// <summary><c>&lt;session&gt;/watchdog-postmortem.json</c> in upstream's shape (<c>indent=2</c>).</summary>
public static class Postmortem
{
    public const string FileName = PostmortemFile.FileName;

    public static string Write(string sessionDir, string sessionId, string reason, double startedAt, double now, SessionWatchdog state)
    {
        double elapsed = Math.Round(startedAt > 0 ? now - startedAt : 0, 2);
        double cost = Math.Round(state.Cost, 6);
        var buffer = new ArrayBufferWriter<byte>(1024);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Indented);
        w.WriteStartObject();
        w.WriteString("session_id", sessionId);
        w.WriteNumber("terminated_at", now);
        w.WriteString("reason", reason);
        w.WriteNumber("elapsed_seconds", elapsed);
        w.WriteNumber("cost_at_death", cost);
        WriteData(w, "last_tool_call", state.LastToolCall);
        WriteData(w, "last_llm_response", state.LastLlmResponse);
        w.WriteString("recovery_context", $"Session {sessionId} was terminated after {elapsed.ToString(CultureInfo.InvariantCulture)}s (${state.Cost.ToString("0.0000", CultureInfo.InvariantCulture)} spent). Reason: {reason}. Resume from the last tool call above.");
        w.WriteEndObject();
        string path = Path.Combine(sessionDir, FileName);
        SafeFile.WriteAtomic(path, buffer.WrittenSpan);
        return path;
    }

    private static void WriteData(PyJsonWriter w, string name, TraceEvent? e)
    {
        if (e is null) { w.WritePropertyName(name); w.WriteNullValue(); }
        else w.WriteJson(name, e.Data.Raw.Span);
    }
}
