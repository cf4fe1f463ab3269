using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>What each hook event writes (upstream's hook handlers; the hook events Claude Code sends are in docs/capture.md). Each call takes the session lock once.</summary>
public static partial class HookHandlers
{
    public static void Handle(HookContext c)
    {
        switch (c.Event)
        {
            case HookEvent.SessionStart: SessionStart(c); break;
            case HookEvent.UserPromptSubmit: Simple(c, EventType.UserPrompt, w => { w.WriteString("prompt", c.Payload.Str("prompt")); Common(c, w); }); break;
            case HookEvent.PreToolUse: PreTool(ToolAttribution.Resolve(c)); break;
            case HookEvent.PostToolUse:
            case HookEvent.PostToolUseFailure: PostTool(ToolAttribution.Resolve(c)); break;
            case HookEvent.Stop: Stop(c); break;
            case HookEvent.SubagentStop: SubagentStop(c); break;
            case HookEvent.SessionEnd: SessionEnd(c); break;
            case HookEvent.PreCompact:
                Simple(c, EventType.Decision, w =>
                {
                    w.WriteString("choice", "compact");
                    w.WriteString("reason", c.Payload.Str("trigger"));
                    w.WriteString("hook_event", "PreCompact");
                    if (c.Payload.Str("custom_instructions") is { Length: > 0 } ci) w.WriteString("custom_instructions", ci);
                });
                break;
            case HookEvent.Notification:
                Simple(c, EventType.Decision, w =>
                {
                    w.WriteString("choice", c.Payload.Str("notification_type") is { Length: > 0 } t ? t : "notification");
                    w.WriteString("reason", c.Payload.Str("message"));
                    if (c.Payload.Str("title") is { Length: > 0 } title) w.WriteString("title", title);
                    w.WriteString("hook_event", "Notification");
                });
                break;
        }
    }

    private static void SessionStart(HookContext c)
    {
        string source = c.Payload.Str("source") is { Length: > 0 } s ? s : "startup";
        string cwd = c.Payload.Cwd.Length > 0 ? c.Payload.Cwd : Environment.CurrentDirectory;
        AgentProcess? agent = AgentProcess.Of(ProcessInfo.AgentPid());
        CaptureWriter.EnsureSession(c.Store, c.SessionId, () => new SessionMeta
        {
            StartedAt = c.Now, AgentName = c.Agent, Command = $"{c.Agent} ({source})",
            Attribution = c.Redactor.Enabled ? RedactValue(c, Attribution.Collect(cwd)) : Attribution.Collect(cwd)
        }, out bool created);
        using var _ = SessionLock.Acquire(c.SessionDir);
        if (!created) HookStore.UpdateMetaLocked(c.SessionDir, m => m.EndedAt = null);
        agent?.Write(c.SessionDir);
        Append(c, c.SessionDir, EventType.SessionStart, w =>
        {
            w.WriteString("mode", c.Agent + "-hooks");
            w.WriteString("provider", AgentHooks.Provider(c.Agent));
            w.WriteString("source", source);
            w.WriteString("model", c.Payload.Str("model"));
            w.WriteString("cwd", cwd);
            if (c.Payload.TranscriptPath.Length > 0) w.WriteString("transcript_path", c.Payload.TranscriptPath);
            Common(c, w);
        });
        SafeFile.WriteAtomic(Path.Combine(c.Store.Root, StoreNames.ActiveSession), c.SessionId);
    }

    private static void PreTool(HookContext c)
    {
        string dir = TargetSession(c, out string sid);
        using var _ = SessionLock.Acquire(dir);
        string name = c.Payload.ToolName.Length > 0 ? c.Payload.ToolName : "unknown";
        RawJsonValue input = c.Payload["tool_input"];
        TraceEvent call = Append(c, dir, EventType.ToolCall, w =>
        {
            w.WriteString("tool_name", name);
            w.WriteJson("arguments", input.IsObject ? input.Raw.Span : "{}"u8);
            if (c.Payload.ToolUseId.Length > 0) w.WriteString("tool_use_id", c.Payload.ToolUseId);
            if (name is "Task" or "Agent" && input.AsObject().GetString("subagent_type"u8) is { Length: > 0 } st) w.WriteString("subagent_type", st);
            Common(c, w);
        }, sid);
        PendingCalls pending = PendingCalls.Load(dir);
        pending.Calls.Add(new PendingCall
        {
            EventId = call.EventId, ToolName = name, ToolUseId = c.Payload.ToolUseId, Timestamp = c.Now,
            SubagentType = name is "Task" or "Agent" ? input.AsObject().GetString("subagent_type"u8) : "",
        });
        pending.Save();
        HookStore.UpdateMetaLocked(dir, m => m.ToolCalls++);
    }

    private static void PostTool(HookContext c)
    {
        bool failed = c.Event == HookEvent.PostToolUseFailure;
        string dir = TargetSession(c, out string sid);
        using var _ = SessionLock.Acquire(dir);
        string name = c.Payload.ToolName.Length > 0 ? c.Payload.ToolName : "unknown";
        PendingCalls pending = PendingCalls.Load(dir);
        PendingCall? call = pending.Take(c.Payload.ToolUseId, name);
        double? duration = c.Payload.Number("duration_ms") ?? (call is null ? null : (c.Now - call.Timestamp) * 1000);
        Append(c, dir, failed ? EventType.Error : EventType.ToolResult, w =>
        {
            w.WriteString("tool_name", name);
            if (failed)
            {
                string error = c.Payload.Str("error") is { Length: > 0 } e ? e : Output(c) is { Length: > 0 } o ? o : "tool call failed";
                w.WriteString("error", c.Redactor.Cut(error, 500));
                if (c.Payload.Truthy("is_interrupt")) w.WriteBool("is_interrupt", true);
            }
            else
            {
                string result = Output(c);
                w.WriteString("result", c.Redactor.Cut(result, 1000, "... (truncated)"));
            }
            if (c.Payload.ToolUseId.Length > 0) w.WriteString("tool_use_id", c.Payload.ToolUseId);
            Common(c, w);
        }, sid, call?.EventId ?? "", duration);
        pending.Save();
        if (failed) HookStore.UpdateMetaLocked(dir, m => m.Errors++);
        if (call is not null && call.SpawnsAgent && c.Payload.Obj("tool_response").GetString("agentId"u8) is { Length: > 0 } agentId)
        {
            SubagentLinker.Record(c, dir, sid, agentId, call.EventId);
        }
    }

    private static void Stop(HookContext c)
    {
        using (SessionLock.Acquire(EnsureMain(c)))
        {
            if (!c.Payload.Truthy("stop_hook_active"))
            {
                string text = c.Payload.Str("last_assistant_message");
                Append(c, c.SessionDir, EventType.AssistantResponse, w =>
                {
                    w.WriteString("text", text);
                    if (text.Length == 0)
                    {
                        w.WriteString("hook_event", "stop");
                        w.WriteString("stop_reason", "end_turn");
                        w.WriteString("transcript_path", c.Payload.TranscriptPath);
                    }
                    Common(c, w);
                });
            }
            CloseOrphans(c, c.SessionDir, c.SessionId, c.Payload.TranscriptPath);
            if (c.Config.TranscriptUsage) AgentHooks.IngestUsageLocked(c, c.SessionDir, c.SessionId, c.Payload.TranscriptPath);
        }
        IngestSubagents(c, final: false);
    }

    private static void SubagentStop(HookContext c)
    {
        if (!c.FromSubagent) { Stop(c); return; }
        string transcript = c.Payload.Str("agent_transcript_path");
        c = c with { SpawnToolUseId = SubagentFiles.Named(c.Payload.TranscriptPath, c.AgentId).SpawnToolUseId };
        string dir = TargetSession(c, out string sid);
        using var _ = SessionLock.Acquire(dir);
        Append(c, dir, EventType.AssistantResponse, w =>
        {
            w.WriteString("text", c.Payload.Str("last_assistant_message"));
            w.WriteString("hook_event", "subagent_stop");
            Common(c, w);
        }, sid);
        CloseOrphans(c, dir, sid, transcript);
        if (c.Config.TranscriptUsage) TranscriptUsage.IngestLocked(dir, sid, transcript, true, c.Redactor, deadline: c.Deadline);
        HookStore.UpdateMetaLocked(dir, m => { m.EndedAt = c.Now; m.TotalDurationMs = (c.Now - m.StartedAt) * 1000; });
    }

    private static void SessionEnd(HookContext c)
    {
        // session_end and ended_at first: Claude Code kills SessionEnd hooks at 1.5 s, and a transcript backlog can take
        // longer. Open calls are closed from the transcript's last MiB (bounded); usage not read in the remaining budget
        // stays behind the saved offset for the next run.
        using (SessionLock.Acquire(EnsureMain(c)))
        {
            CloseOrphans(c, c.SessionDir, c.SessionId, c.Payload.TranscriptPath);
            SessionMeta meta = HookStore.UpdateMetaLocked(c.SessionDir, m => { m.EndedAt = c.Now; m.TotalDurationMs = (c.Now - m.StartedAt) * 1000; });
            Append(c, c.SessionDir, EventType.SessionEnd, w =>
            {
                w.WriteNumber("duration_ms", meta.TotalDurationMs);
                if (c.Payload.Str("reason") is { Length: > 0 } reason) w.WriteString("reason", reason);
            });
        }
        string marker = Path.Combine(c.Store.Root, StoreNames.ActiveSession);
        if (SafeFile.TryReadAllText(marker, 4096)?.Trim() == c.SessionId) File.Delete(marker);
        using (SessionLock.Acquire(c.SessionDir))
        {
            if (c.Config.TranscriptUsage) AgentHooks.IngestUsageLocked(c, c.SessionDir, c.SessionId, c.Payload.TranscriptPath, final: true);
        }
        IngestSubagents(c, final: true);
        // Once per session, not per call: temp files of this session's writers that were killed between write and
        // rename (a hook timed out by the agent) are removed while the directory is fresh in the cache.
        if (c.Deadline is not { } d || d.HasLeft(TimeSpan.FromMilliseconds(100))) StoreLeftovers.SweepSession(c.SessionDir);
    }

    /// <summary>
    /// At the parent's Stop and SessionEnd every sub-agent transcript of the session is read again into its own
    /// session: SubagentStop may run before Claude Code wrote the sub-agent's last request, and a sub-agent may end
    /// with no hook at all. Deduplication by message id + request id keeps each request once. Runs without the
    /// parent's lock (linking a new child takes it). At SessionEnd the children's open calls are closed too.
    /// </summary>
    private static void IngestSubagents(HookContext c, bool final)
    {
        if (!c.Config.TranscriptUsage) return;
        foreach (SubagentFiles.Agent a in SubagentFiles.List(c.Payload.TranscriptPath))
        {
            HookContext child = c with { AgentId = a.Id, AgentType = a.AgentType, SpawnToolUseId = a.SpawnToolUseId };
            string sid = SubagentLinker.Ensure(child);
            string dir = c.Store.SessionDir(sid);
            using var _ = SessionLock.Acquire(dir);
            TranscriptUsage.IngestLocked(dir, sid, a.TranscriptPath, true, c.Redactor, final, c.Deadline);
            if (final) CloseOrphans(child, dir, sid, a.TranscriptPath);
        }
    }

    private static void Simple(HookContext c, EventType type, Action<PyJsonWriter> data)
    {
        using var _ = SessionLock.Acquire(EnsureMain(c));
        Append(c, c.SessionDir, type, data);
    }
}
