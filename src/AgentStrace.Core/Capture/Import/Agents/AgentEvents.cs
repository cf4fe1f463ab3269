using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>One model response's usage, normalised: input excludes cache reads and writes; output includes reasoning.</summary>
public readonly struct AgentUsage(long uncachedInput, long cacheRead, long cacheWrite, long output, long reasoning)
{
    public long UncachedInput { get; } = uncachedInput;
    public long CacheRead { get; } = cacheRead;
    public long CacheWrite { get; } = cacheWrite;
    public long Output { get; } = output;
    public long Reasoning { get; } = reasoning;

    public long Total => UncachedInput + CacheRead + CacheWrite + Output;

    public bool IsZero => UncachedInput == 0 && CacheRead == 0 && CacheWrite == 0 && Output == 0 && Reasoning == 0;
}

/// <summary>
/// Builds the store events of a foreign-agent session. Every id derives from a key the reader gives (a line
/// position or the agent's own id), so importing the same file again maps each record to the same event.
/// </summary>
public sealed class AgentEvents(AgentSession session)
{
    private readonly string _sid = session.SessionId;
    private readonly MappedSession _m = session.Mapped;

    public int Count => _m.Events.Count;

    public void Observe(double t)
    {
        if (t <= 0) return;
        if (_m.Start == 0 || t < _m.Start) _m.Start = t;
        _m.End = Math.Max(_m.End, t);
    }

    public string Id(string key) => CaptureIds.Event(session.Agent + ":" + _sid + ":" + key);

    public static string ToolId(string agent, string callId) => CaptureIds.ToolCall(agent + ":" + callId);

    public void Start(double t, string model, Action<PyJsonWriter> extra)
    {
        var eb = new EventBuilder();
        eb.Data.WriteString("mode", session.Agent + "-import");
        eb.Data.WriteString("provider", session.Provider);
        if (model.Length > 0) eb.Data.WriteString("model", model);
        if (session.Cwd.Length > 0) eb.Data.WriteString("cwd", session.Cwd);
        extra(eb.Data);
        _m.Events.Add(eb.Build(EventType.SessionStart, _sid, t, eventId: Id("session_start")));
    }

    public void Prompt(double t, string key, string text)
    {
        session.HasActivity = true;
        var eb = new EventBuilder();
        eb.Data.WriteString("prompt", _m.Redactor.Cut(text, TranscriptMapper.TextLimit, ""));
        _m.Events.Add(eb.Build(EventType.UserPrompt, _sid, t, eventId: Id("prompt:" + key)));
    }

    public void Assistant(double t, string key, string text, string model, string phase)
    {
        session.HasActivity = true;
        var eb = new EventBuilder();
        eb.Data.WriteString("text", _m.Redactor.Cut(text, TranscriptMapper.TextLimit, ""));
        if (model.Length > 0) eb.Data.WriteString("model", model);
        if (phase.Length > 0) eb.Data.WriteString("phase", phase);
        _m.Events.Add(eb.Build(EventType.AssistantResponse, _sid, t, eventId: Id("text:" + key)));
    }

    public void Decision(double t, string key, string choice, string reason)
    {
        var eb = new EventBuilder();
        eb.Data.WriteString("choice", choice);
        eb.Data.WriteString("reason", _m.Redactor.Cut(reason, TranscriptMapper.TextLimit, "..."));
        _m.Events.Add(eb.Build(EventType.Decision, _sid, t, eventId: Id("decision:" + key)));
    }

    public void Error(double t, string key, string type, string message)
    {
        var eb = new EventBuilder();
        eb.Data.WriteString("error_type", type);
        eb.Data.WriteString("message", _m.Redactor.Cut(message, 500, "..."));
        _m.Events.Add(eb.Build(EventType.Error, _sid, t, eventId: Id("error:" + key)));
        _m.Errors++;
    }

    /// <summary>A tool call; <paramref name="arguments"/> is a JSON object.</summary>
    public string ToolCall(double t, string callId, string name, ReadOnlySpan<byte> arguments, Action<PyJsonWriter>? extra = null)
    {
        session.HasActivity = true;
        var eb = new EventBuilder();
        eb.Data.WriteString("tool_name", name.Length > 0 ? name : "unknown");
        eb.Data.WriteJson("arguments", arguments);
        eb.Data.WriteString("tool_use_id", callId);
        extra?.Invoke(eb.Data);
        string id = ToolId(session.Agent, callId);
        _m.Events.Add(eb.Build(EventType.ToolCall, _sid, t, eventId: id));
        _m.ToolCalls++;
        return id;
    }

    /// <summary>The result of a call (an error event when it failed), parented to the call when it was seen.</summary>
    public void ToolResult(double t, string callId, string name, double callTime, bool failed, string text, Action<PyJsonWriter>? extra = null)
    {
        var eb = new EventBuilder();
        if (name.Length > 0) eb.Data.WriteString("tool_name", name);
        eb.Data.WriteString("tool_use_id", callId);
        if (failed) eb.Data.WriteString("error", _m.Redactor.Cut(text.Length > 0 ? text : "tool call failed", 500, "..."));
        else eb.Data.WriteString("content_preview", _m.Redactor.Cut(text, TranscriptMapper.TextLimit, "..."));
        extra?.Invoke(eb.Data);
        double? duration = callTime > 0 && t >= callTime ? (t - callTime) * 1000 : null;
        _m.Events.Add(eb.Build(failed ? EventType.Error : EventType.ToolResult, _sid, t,
            parentId: callTime > 0 ? ToolId(session.Agent, callId) : "", durationMs: duration, eventId: Id("tool_result:" + callId)));
        if (failed) _m.Errors++;
    }

    /// <summary>An llm_request / llm_response pair; the request goes at <paramref name="requestIndex"/> (where the response began).</summary>
    public void Llm(int requestIndex, double start, double end, string key, string model, AgentUsage u, Action<PyJsonWriter>? extra = null)
    {
        session.HasActivity = true;
        string requestId = Id("llm_request:" + key);
        var rq = new EventBuilder();
        rq.Data.WriteString("model", model);
        rq.Data.WriteString("provider", session.Provider);
        rq.Data.WriteNumber("input_tokens", u.UncachedInput);
        TraceEvent request = rq.Build(EventType.LlmRequest, _sid, start > 0 ? start : end, eventId: requestId);

        var rs = new EventBuilder();
        PyJsonWriter w = rs.Data;
        w.WriteString("model", model);
        w.WriteString("provider", session.Provider);
        w.WriteNumber("input_tokens", u.UncachedInput);
        w.WriteNumber("output_tokens", u.Output);
        w.WriteNumber("cache_creation_input_tokens", u.CacheWrite);
        w.WriteNumber("cache_read_input_tokens", u.CacheRead);
        w.WriteNumber("reasoning_output_tokens", u.Reasoning);
        extra?.Invoke(w);
        w.WritePropertyName("usage");
        w.WriteStartObject();
        w.WriteNumber("input_tokens", u.UncachedInput);
        w.WriteNumber("output_tokens", u.Output);
        w.WriteNumber("cache_creation_input_tokens", u.CacheWrite);
        w.WriteNumber("cache_read_input_tokens", u.CacheRead);
        w.WriteNumber("reasoning_output_tokens", u.Reasoning);
        w.WriteEndObject();
        double s = start > 0 ? Math.Min(start, end) : end;
        TraceEvent response = rs.Build(EventType.LlmResponse, _sid, end, parentId: requestId, durationMs: (end - s) * 1000, eventId: Id("llm_response:" + key));
        _m.Events.Insert(Math.Clamp(requestIndex, 0, _m.Events.Count), request);
        _m.Events.Add(response);
        _m.LlmRequests++;
        _m.TotalTokens += u.Total;
    }
}
