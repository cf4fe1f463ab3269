using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Import.Codex;
using AgentStrace.Capture.Import.Gemini;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// What differs when the hook is Codex CLI's or Gemini CLI's rather than Claude Code's: event names, a few payload
/// fields, and where model usage comes from (the hooks carry none usable, so it is read from the agent's own session
/// file: the Codex rollout at each Stop, the Gemini chat at SessionEnd).
/// </summary>
public static class AgentHooks
{
    public const string ClaudeCode = "claude-code";
    public const string Codex = CodexReader.Agent;
    public const string Gemini = GeminiReader.Agent;

    public static bool TryParseAgent(string? name, out string agent)
    {
        agent = name switch
        {
            null or "" or "claude" or "claude-code" => ClaudeCode,
            "codex" => Codex,
            "gemini" or "gemini-cli" => Gemini,
            _ => "",
        };
        return agent.Length > 0;
    }

    public static string Provider(string agent) => agent switch
    {
        Codex => "openai",
        Gemini => "google",
        _ => "claude",
    };

    /// <summary>
    /// The handler for an agent's event name. Codex uses Claude Code's names. Gemini CLI: BeforeAgent is the prompt,
    /// AfterAgent the end of a turn, BeforeTool/AfterTool the tool call (an AfterTool whose response has an error is a
    /// failure), PreCompress the compaction.
    /// </summary>
    public static bool TryMapEvent(string agent, string name, out HookEvent e)
    {
        if (agent == Gemini)
        {
            string mapped = name switch
            {
                "BeforeAgent" => nameof(HookEvent.UserPromptSubmit),
                "AfterAgent" => nameof(HookEvent.Stop),
                "BeforeTool" => nameof(HookEvent.PreToolUse),
                "AfterTool" => nameof(HookEvent.PostToolUse),
                "PreCompress" => nameof(HookEvent.PreCompact),
                "SessionStart" or "SessionEnd" or "Notification" => name,
                _ => "",
            };
            return HookEvents.TryParse(mapped, out e);
        }
        return HookEvents.TryParse(name, out e);
    }

    /// <summary>Gives another agent's payload the field names the handlers read.</summary>
    public static HookEvent Adapt(string agent, HookEvent e, HookPayload payload)
    {
        if (agent != Gemini) return e;
        payload.Alias("prompt_response", "last_assistant_message");
        payload.Alias("original_request_name", "tool_name");
        if (e == HookEvent.PostToolUse && payload.Obj("tool_response").TryGet("error"u8, out Json.RawJsonValue error) && !error.IsNull)
        {
            Json.RawJsonValue text = error.IsString ? error : error.AsObject().Get("message"u8);
            if (text.IsString) payload.Set("error", text);
            return HookEvent.PostToolUseFailure;
        }
        return e;
    }

    /// <summary>Adds the model calls recorded in the agent's session file that the session does not hold yet; the caller holds the lock.</summary>
    public static void IngestUsageLocked(HookContext c, string dir, string sessionId, string transcriptPath, bool final = false)
    {
        if (c.Agent == ClaudeCode)
        {
            TranscriptUsage.IngestLocked(dir, sessionId, transcriptPath, false, c.Redactor, final, c.Deadline);
            return;
        }
        string path = TranscriptUsage.Expand(transcriptPath);
        if (path.Length == 0 || !File.Exists(path)) return;
        var unknown = new UnknownRecords();
        AgentSession s = c.Agent == Codex ? CodexReader.Read(path, unknown) : GeminiReader.Read(path, GeminiChat.Read(path, unknown), unknown);
        (_, long requests, long tokens) = CaptureWriter.AppendNewModelCallsLocked(dir, sessionId, s.Mapped.Events, c.Redactor);
        if (requests > 0) HookStore.UpdateMetaLocked(dir, m => { m.LlmRequests += requests; m.TotalTokens += tokens; });
    }
}
