using AgentStrace.Capture.Redaction;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>
/// Maps transcript lines to store events (upstream's transcript import, extended to sub-agent and usage records). Every event id derives from the
/// transcript's own ids, so the same line always maps to the same event. Every string and JSON value taken from the
/// transcript goes through the redactor here, once (texts before they are cut), so the writer stores the events as
/// they are (<see cref="MappedSession.Redacted"/>).
/// </summary>
public static class TranscriptMapper
{
    public const int TextLimit = 2000;

    /// <summary>
    /// Maps a stream's lines one at a time, in the order of the first pass that made <paramref name="plan"/>: each event
    /// is returned as soon as its line is mapped, and <paramref name="m"/>'s totals are final once the enumeration ends.
    /// A request's llm_request comes before its first line's events, its llm_response after its last line's; a request
    /// still streaming (<see cref="CallPlan.HeldBack"/>) gives neither and is read again by a later import.
    /// </summary>
    public static IEnumerable<TraceEvent> Map(IEnumerable<TranscriptEntry> entries, CallPlan plan, MappedSession m, string sessionId,
        string contextStream)
    {
        m.Reset();
        var toolCalls = new ToolCalls();
        var open = new Dictionary<string, LlmCall>(StringComparer.Ordinal); // requests between their first and last line, by id
        double previousTime = 0;
        int i = 0, usage = 0, started = 0;
        foreach (TranscriptEntry e in entries)
        {
            if (e.Timestamp > 0)
            {
                if (m.Start == 0 || e.Timestamp < m.Start) m.Start = e.Timestamp;
                m.End = Math.Max(m.End, e.Timestamp);
            }
            if (e.GitBranch.Length > 0) m.GitBranch = e.GitBranch;
            if (e.Version.Length > 0) m.Version = e.Version;
            if (m.Cwd.Length == 0 && e.Cwd.Length > 0) m.Cwd = e.Cwd;
            LlmCall? call = null;
            if (LlmCalls.Counts(e))
            {
                if (usage++ == plan.UsageLines) throw Changed();
                // A request not open yet starts here: the plan numbered them in this order.
                if (!open.TryGetValue(e.MessageId + "\n" + e.RequestId, out call))
                {
                    if (started == plan.Calls) throw Changed();
                    call = LlmCalls.Start(e, i, previousTime);
                    call.Number = started++;
                    open[call.Key] = call;
                    if (call.Number != plan.HeldBack)
                    {
                        var ahead = new LlmCall { MessageId = call.MessageId, RequestId = call.RequestId, Model = plan.Model(call.Number), InputTokens = plan.Input(call.Number), StartTime = call.StartTime };
                        m.Events.Add(LlmEvents.Request(ahead, sessionId, m.Redactor));
                    }
                }
                LlmCalls.Add(call, e, i);
            }
            switch (e.Type)
            {
                case "user": MapUser(e, sessionId, m, toolCalls); break;
                case "assistant": MapAssistant(e, sessionId, contextStream, m, toolCalls); break;
                case "system" when e.Subtype == "turn_duration": m.TurnDurationMs += e.DurationMs; break;
                case "progress":
                    string agent = e.Data.GetString("agentId"u8);
                    if (agent.Length > 0 && e.ParentToolUseId.Length > 0) m.AgentSpawns.TryAdd(agent, e.ParentToolUseId);
                    break;
            }
            if (call is not null && plan.Last(call.Number) == i)
            {
                open.Remove(call.Key);
                if (call.Number != plan.HeldBack)
                {
                    m.Events.Add(LlmEvents.Response(call, sessionId, m.Redactor));
                    m.LlmRequests++;
                    m.TotalTokens += call.TotalTokens;
                }
            }
            if (e.Timestamp > 0) previousTime = e.Timestamp;
            i++;
            foreach (TraceEvent ev in m.Events) yield return ev;
            m.Events.Clear();
        }
        if (i != plan.Lines || usage != plan.UsageLines || started != plan.Calls || open.Count > 0) throw Changed();
        m.Complete = true;
    }

    private static IOException Changed() => new("the transcript changed while it was imported; import it again.");

    private static void MapUser(TranscriptEntry e, string sid, MappedSession m, ToolCalls toolCalls)
    {
        RawJsonValue content = e.Message.Get("content"u8);
        bool human = !e.IsMeta && !e.IsCompactSummary;
        if (content.IsString)
        {
            if (human) Prompt(e, content.GetStringHead(Redactor.ReadLimit(TextLimit), out bool cut), cut, sid, m);
            return;
        }
        var texts = new List<string>();
        bool textsCut = false;
        foreach (RawJsonObject b in RawJsonObject.ObjectElements(content))
        {
            string type = b.GetString("type"u8);
            if (type == "text")
            {
                texts.Add(b.Get("text"u8).GetStringHead(Redactor.ReadLimit(TextLimit), out bool cut));
                textsCut |= cut;
            }
            if (type != "tool_result") continue;
            human = false;
            string useId = b.GetString("tool_use_id"u8);
            if (e.ToolUseResult.IsObject)
            {
                string agent = e.ToolUseResult.AsObject().GetString("agentId"u8);
                if (agent.Length > 0) m.AgentSpawns[agent] = useId;
            }
            bool failed = b.IsTruthy("is_error"u8);
            int keep = failed ? 500 : TextLimit;
            string text = ResultText(b.Get("content"u8), Redactor.ReadLimit(keep), out bool resultCut);
            var call = toolCalls.TakeForResult(useId);
            var eb = new EventBuilder();
            if (call.Name is { Length: > 0 }) eb.Data.WriteString("tool_name", m.Redactor.Text(call.Name));
            eb.Data.WriteString("tool_use_id", m.Redactor.Text(useId));
            if (failed) eb.Data.WriteString("error", m.Redactor.Cut(text.Length > 0 ? text : "tool call failed", resultCut, 500, "..."));
            else eb.Data.WriteString("content_preview", m.Redactor.Cut(text, resultCut, TextLimit, "..."));
            double? duration = call.Time > 0 && e.Timestamp >= call.Time ? (e.Timestamp - call.Time) * 1000 : null;
            m.Events.Add(eb.Build(failed ? EventType.Error : EventType.ToolResult, sid, e.Timestamp,
                parentId: call.Time > 0 ? CaptureIds.ToolCall(useId) : "", durationMs: duration, eventId: CaptureIds.Event("tool_result:" + useId)));
            if (failed) m.Errors++;
        }
        if (human && texts.Count > 0) Prompt(e, string.Join("\n", texts), textsCut, sid, m);
    }

    private static void Prompt(TranscriptEntry e, string text, bool cut, string sid, MappedSession m)
    {
        string t = text.TrimStart();
        if (t.Length == 0 || t.StartsWith('{') || t.StartsWith("<command-", StringComparison.Ordinal)
            || t.StartsWith("<local-command-", StringComparison.Ordinal)) return;
        var eb = new EventBuilder();
        eb.Data.WriteString("prompt", m.Redactor.Cut(text, cut, TextLimit, ""));
        m.Events.Add(eb.Build(EventType.UserPrompt, sid, e.Timestamp, eventId: CaptureIds.Event("prompt:" + e.Uuid)));
    }

    private static void MapAssistant(TranscriptEntry e, string sid, string stream, MappedSession m, ToolCalls toolCalls)
    {
        RawJsonValue content = e.Message.Get("content"u8);
        if (e.IsApiErrorMessage)
        {
            var eb = new EventBuilder();
            eb.Data.WriteString("error_type", e.Error.Length > 0 ? m.Redactor.Text(e.Error) : "api_error");
            eb.Data.WriteString("message", m.Redactor.Cut(FirstText(content), 500, "..."));
            m.Events.Add(eb.Build(EventType.Error, sid, e.Timestamp, eventId: CaptureIds.Event("api_error:" + e.Uuid)));
            m.Errors++;
            return;
        }
        int index = 0;
        foreach (RawJsonObject b in RawJsonObject.ObjectElements(content))
        {
            string type = b.GetString("type"u8);
            if (type == "tool_use")
            {
                string id = b.GetString("id"u8), name = b.GetString("name"u8);
                if (id.Length == 0 || !toolCalls.TryAdd(id, e.Timestamp, name)) continue;
                RawJsonObject input = b.GetObject("input"u8);
                var eb = new EventBuilder();
                eb.Data.WriteString("tool_name", name.Length > 0 ? m.Redactor.Text(name) : "unknown");
                eb.Data.WriteJson("arguments", m.Redactor.Data(input, out _).Raw.Span);
                eb.Data.WriteString("request_id", m.Redactor.Text(id));
                if (e.IsSidechain) eb.Data.WriteBool("is_sidechain", true);
                string caller = b.GetObject("caller"u8).GetString("type"u8);
                if (caller.Length > 0) eb.Data.WriteString("caller_type", m.Redactor.Text(caller));
                if (name is "Task" or "Agent")
                {
                    string subType = input.GetString("subagent_type"u8);
                    if (subType.Length > 0) { eb.Data.WriteString("subagent_type", m.Redactor.Text(subType)); m.SubagentTypes[id] = subType; }
                }
                m.Events.Add(eb.Build(EventType.ToolCall, sid, e.Timestamp, eventId: CaptureIds.ToolCall(id)));
                m.ToolCalls++;
            }
            else if (type == "text" && b.Get("text"u8).GetStringHead(Redactor.ReadLimit(TextLimit), out bool cut) is { Length: > 0 } text)
            {
                var eb = new EventBuilder();
                eb.Data.WriteString("text", m.Redactor.Cut(text, cut, TextLimit, ""));
                eb.Data.WriteString("model", m.Redactor.Text(e.Model));
                eb.Data.WriteString("context_stream", m.Redactor.Text(stream));
                m.Events.Add(eb.Build(EventType.AssistantResponse, sid, e.Timestamp, eventId: CaptureIds.Event("text:" + e.Uuid + ":" + index)));
            }
            index++;
        }
    }

    /// <summary>A tool_result's content: a string, or its text blocks joined by newlines.</summary>
    public static string ResultText(RawJsonValue content) => ResultText(content, int.MaxValue, out _);

    /// <summary>The first <paramref name="maxChars"/> chars of a tool_result's content; <paramref name="truncated"/>: it went on.</summary>
    public static string ResultText(RawJsonValue content, int maxChars, out bool truncated)
    {
        if (content.IsString) return content.GetStringHead(maxChars, out truncated);
        var parts = new List<string>();
        int length = 0;
        truncated = false;
        foreach (RawJsonObject o in RawJsonObject.ObjectElements(content))
        {
            if (o.GetString("type"u8) != "text") continue;
            if (length >= maxChars) { truncated = true; break; }
            string part = o.Get("text"u8).GetStringHead(maxChars - length, out bool cut);
            parts.Add(part);
            length += part.Length + 1;
            truncated |= cut;
        }
        return string.Join("\n", parts);
    }


    private static string FirstText(RawJsonValue content) =>
        content.IsString ? content.GetString() : RawJsonObject.ObjectElements(content).Select(o => o.GetString("text"u8)).FirstOrDefault(t => t.Length > 0) ?? "";

    public static string Cut(string s, int max, string suffix) => s.Length <= max ? s : s[..max] + suffix;
}
