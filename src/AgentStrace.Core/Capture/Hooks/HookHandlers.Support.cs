using System.Buffers;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

public static partial class HookHandlers
{
    /// <summary>Builds, redacts and appends one event; the caller holds the lock of <paramref name="dir"/>.</summary>
    private static TraceEvent Append(HookContext c, string dir, EventType type, Action<PyJsonWriter> data, string? sessionId = null,
        string parentId = "", double? durationMs = null)
    {
        var builder = new EventBuilder();
        data(builder.Data);
        TraceEvent e = builder.Build(type, sessionId ?? c.SessionId, c.Now, parentId, durationMs);
        return new EventWriter(dir).AppendLocked(c.Redactor.Apply(e));
    }

    /// <summary>Optional fields shared by the upstream hook events.</summary>
    private static void Common(HookContext c, PyJsonWriter w)
    {
        if (c.Payload.Str("permission_mode") is { Length: > 0 } mode) w.WriteString("permission_mode", mode);
        if (c.Payload.Str("prompt_id") is { Length: > 0 } prompt) w.WriteString("prompt_id", prompt);
        if (c.FromSubagent)
        {
            w.WriteString("agent_id", c.AgentId);
            if (c.AgentType.Length > 0) w.WriteString("agent_type", c.AgentType);
        }
    }

    /// <summary>Python <c>str()</c> of the tool output, as upstream stores it (dicts become a Python repr).</summary>
    private static string Output(HookContext c)
    {
        RawJsonValue v = c.Payload["tool_output"];
        if (v.IsNull) v = c.Payload["tool_response"];
        return v.IsNull ? "" : v.ToPythonStr();
    }

    /// <summary>The main session's directory, created on first sight (hooks may be installed mid-session).</summary>
    private static string EnsureMain(HookContext c)
    {
        CaptureWriter.EnsureSession(c.Store, c.SessionId, () => new SessionMeta
        {
            StartedAt = c.Now, AgentName = c.Agent, Command = c.Agent + " (hooks)",
        }, out _);
        return c.SessionDir;
    }

    /// <summary>The session a tool event belongs to: the sub-agent's own session when the payload carries agent_id.</summary>
    private static string TargetSession(HookContext c, out string sessionId)
    {
        string main = EnsureMain(c);
        if (!c.FromSubagent)
        {
            sessionId = c.SessionId;
            return main;
        }
        sessionId = SubagentLinker.Ensure(c);
        return c.Store.SessionDir(sessionId);
    }

    /// <summary>
    /// Calls whose result never came (permission denied, rejected, cancelled, interrupted: Claude Code fires no
    /// Post hook for those) are closed at Stop / SubagentStop / SessionEnd with the outcome the transcript's
    /// tool_result gives (is_error and the message), else as "ended without a result".
    /// </summary>
    private static void CloseOrphans(HookContext c, string dir, string sessionId, string transcriptPath)
    {
        PendingCalls pending = PendingCalls.Load(dir);
        if (pending.Calls.Count == 0) return;
        Dictionary<string, TranscriptToolResults.Outcome> outcomes =
            TranscriptToolResults.Find(transcriptPath, pending.Calls.Where(p => p.ToolUseId.Length > 0).Select(p => p.ToolUseId).ToList());
        int errors = 0;
        foreach (PendingCall call in pending.Calls)
        {
            TranscriptToolResults.Outcome? outcome = outcomes.GetValueOrDefault(call.ToolUseId);
            bool failed = outcome is null || outcome.IsError;
            if (failed) errors++;
            Append(c, dir, failed ? EventType.Error : EventType.ToolResult, w =>
            {
                w.WriteString("tool_name", call.ToolName);
                if (outcome is null)
                {
                    w.WriteString("error", "tool call ended without a result (denied, cancelled or interrupted)");
                    w.WriteString("error_type", "no_result");
                }
                else if (failed)
                {
                    w.WriteString("error", outcome.Text.Length > 500 ? outcome.Text[..500] : outcome.Text);
                    w.WriteString("error_type", TranscriptToolResults.ErrorType(outcome.Text));
                }
                else
                {
                    w.WriteString("result", outcome.Text.Length > 1000 ? outcome.Text[..1000] + "... (truncated)" : outcome.Text);
                }
                if (call.ToolUseId.Length > 0) w.WriteString("tool_use_id", call.ToolUseId);
                if (outcome is not null) w.WriteString("result_source", "transcript");
            }, sessionId, call.EventId, (c.Now - call.Timestamp) * 1000);
        }
        pending.Calls.Clear();
        pending.Save();
        if (errors > 0) HookStore.UpdateMetaLocked(dir, m => m.Errors += errors);
    }

    private static RawJsonValue RedactValue(HookContext c, RawJsonValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Raw.Length + 16);
        c.Redactor.WriteRedacted(value.Raw.Span, new PyJsonWriter(buffer, PyJsonStyle.Compact));
        return new RawJsonValue(value.Kind, buffer.WrittenSpan.ToArray(), false);
    }
}
