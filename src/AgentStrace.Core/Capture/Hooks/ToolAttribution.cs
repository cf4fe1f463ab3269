namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Decides which agent issued a tool call. A sub-agent's Pre/PostToolUse carry the parent's session_id; the payload's
/// agent_id is a claim that has been missing or wrong (a background sub-agent's calls reported as the parent's and
/// the other way round), while the transcripts are exact: the assistant line naming the tool_use id is written to
/// the issuing agent's transcript before PreToolUse fires. So: the session that already holds the call as pending
/// (PostToolUse), else the sub-agent transcript whose tail names the tool_use id, else the parent transcript, else
/// the payload's claim.
/// </summary>
public static class ToolAttribution
{
    public static HookContext Resolve(HookContext c)
    {
        string toolUseId = c.Payload.ToolUseId;
        if (toolUseId.Length == 0) return c;
        if (c.Event is HookEvent.PostToolUse or HookEvent.PostToolUseFailure && PendingOwner(c, toolUseId) is { } owner) return owner;
        List<SubagentFiles.Agent> agents = SubagentFiles.List(c.Payload.TranscriptPath);
        SubagentFiles.Agent? claimed = c.FromSubagent ? agents.Find(a => a.Id == c.AgentId) : null;
        if (claimed is not null && SubagentFiles.HasToolUse(claimed.TranscriptPath, toolUseId)) return As(c, claimed);
        foreach (SubagentFiles.Agent a in agents)
        {
            if (a == claimed || a.Finished) continue;
            if (SubagentFiles.HasToolUse(a.TranscriptPath, toolUseId)) return As(c, a);
        }
        if (c.FromSubagent && SubagentFiles.HasToolUse(TranscriptUsage.Expand(c.Payload.TranscriptPath), toolUseId, mainThreadOnly: true)) return Main(c);
        return claimed is null ? c : As(c, claimed);
    }

    /// <summary>The session whose pending calls hold <paramref name="toolUseId"/>: the claimed one first, then the main one.</summary>
    private static HookContext? PendingOwner(HookContext c, string toolUseId)
    {
        static bool Holds(string dir, string id) => Directory.Exists(dir) && PendingCalls.Load(dir).Calls.Exists(p => p.ToolUseId == id);
        if (c.FromSubagent && Holds(c.Store.SessionDir(CaptureIds.SubagentSession(c.SessionId, c.AgentId)), toolUseId)) return c;
        if (Holds(c.SessionDir, toolUseId)) return Main(c);
        return null;
    }

    private static HookContext Main(HookContext c) => c with { AgentId = "", AgentType = "", SpawnToolUseId = "" };

    private static HookContext As(HookContext c, SubagentFiles.Agent a) => c with
    {
        AgentId = a.Id,
        AgentType = a.AgentType.Length > 0 ? a.AgentType : a.Id == c.Payload.AgentId ? c.Payload.AgentType : "",
        SpawnToolUseId = a.SpawnToolUseId,
    };
}
