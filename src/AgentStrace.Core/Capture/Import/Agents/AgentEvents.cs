using AgentStrace.Capture.Redaction;
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
/// <remarks>
/// Events stream out as the file is read: they wait only while a model request may still be inserted before them
/// (after the reader's last boundary, see <see cref="Release"/>) and until the session shows real activity, so a file
/// without any stores nothing. Past a few thousand waiting events the older ones wait in a temporary file
/// (<see cref="EventQueue"/>), so memory does not grow with the file and a request is never placed after events it
/// precedes, however many come between two model calls.
/// </remarks>
public sealed class AgentEvents(AgentSession session) : IDisposable
{
    /// <summary>Events held in memory per queue before the older ones go to a temporary file.</summary>
    internal const int MaxPending = 4096;

    private readonly string _sid = session.SessionId;
    private readonly MappedSession _m = session.Mapped;
    // Requests, each placed before every event still pending (where its response began), the last one first.
    private readonly List<TraceEvent> _front = [];
    private readonly EventQueue _pending = new(MaxPending);
    private readonly EventQueue _ready = new(MaxPending);

    /// <summary>True once waiting events went to a temporary file (tests).</summary>
    internal bool Spilled => _pending.Spilled || _ready.Spilled;

    /// <summary>Every event so far is final: no model request goes before them any more (a boundary of the reader).</summary>
    public void Release()
    {
        foreach (TraceEvent e in _front) _ready.Enqueue(e);
        _front.Clear();
        while (_pending.TryDequeue(out TraceEvent e)) _ready.Enqueue(e);
    }

    /// <summary>The next final event, once the session has activity.</summary>
    public bool TryTake(out TraceEvent e)
    {
        if (session.HasActivity && _ready.TryDequeue(out e)) return true;
        e = null!;
        return false;
    }

    public void Dispose()
    {
        _pending.Dispose();
        _ready.Dispose();
    }

    /// <summary>
    /// A text redacted, then cut to <paramref name="max"/> (so no secret survives because it was cut). Every string the
    /// events carry is redacted here, once: the writer only flags them (<see cref="MappedSession.Redacted"/>).
    /// </summary>
    private string Cut(string text, int max, string suffix, bool truncated = false) => _m.Redactor.Cut(text, truncated, max, suffix);

    /// <summary>A value from the file, redacted (ids, names, models: anything but a constant of ours).</summary>
    public string R(string value)
    {
        // Redaction is a function of the text alone, and most of these values repeat (models, tool names, kinds,
        // statuses): the last results are kept in a small table looked up by the text, so a repeat is not scanned again.
        if (value.Length < 8 || value.Length > 128 || !_m.Redactor.Enabled) return _m.Redactor.Text(value);
        int slot = (int)((uint)string.GetHashCode(value.AsSpan()) % RecentSlots);
        if (string.Equals(_recentValues[slot], value, StringComparison.Ordinal)) return _recentResults[slot];
        string redacted = _m.Redactor.Text(value);
        _recentValues[slot] = value;
        _recentResults[slot] = redacted;
        return redacted;
    }

    private const int RecentSlots = 61;
    private readonly string?[] _recentValues = new string?[RecentSlots];
    private readonly string[] _recentResults = new string[RecentSlots];

    private void Add(TraceEvent e) => _pending.Enqueue(e);

    public void Observe(double t)
    {
        if (t <= 0) return;
        if (_m.Start == 0 || t < _m.Start) _m.Start = t;
        _m.End = Math.Max(_m.End, t);
    }

    private readonly byte[] _idPrefix = System.Text.Encoding.UTF8.GetBytes(session.Agent + ":" + session.SessionId + ":");

    /// <summary>CaptureIds.Event(agent:session:key), without its intermediate strings (two ids per record of a large file).</summary>
    public string Id(string key) => HashId(_idPrefix, key);

    private static readonly byte[] s_toolPrefix = "tool_use:"u8.ToArray();

    /// <summary>CaptureIds.ToolCall(agent:callId), hashed as <see cref="Id"/> is (two per tool call of a large file).</summary>
    public static string ToolId(string agent, string callId) => HashId(s_toolPrefix, agent + ":" + callId);

    // The first 12 hex chars of SHA-256(prefix + key), as CaptureIds.Event gives them.
    private static string HashId(ReadOnlySpan<byte> prefix, string key)
    {
        int max = prefix.Length + System.Text.Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = max > 1024 ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        // Sized to the key: a fixed 1 KiB buffer was zeroed on every call (two ids per record).
        Span<byte> text = rented is not null ? rented : stackalloc byte[max];
        prefix.CopyTo(text);
        int length = prefix.Length + System.Text.Encoding.UTF8.GetBytes(key, text[prefix.Length..]);
        Span<byte> digest = stackalloc byte[32];
        Sha256.PlatformHash(text[..length], digest);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return Convert.ToHexStringLower(digest[..6]);
    }

    public void Start(double t, string model, Action<PyJsonWriter> extra)
    {
        var eb = new EventBuilder();
        eb.Data.WriteString("mode", session.Agent + "-import");
        eb.Data.WriteString("provider", session.Provider);
        if (model.Length > 0) eb.Data.WriteString("model", R(model));
        if (session.Cwd.Length > 0) eb.Data.WriteString("cwd", R(session.Cwd));
        extra(eb.Data);
        Add(eb.Build(EventType.SessionStart, _sid, t, eventId: Id("session_start")));
    }

    public void Prompt(double t, string key, string text)
    {
        session.HasActivity = true;
        var eb = new EventBuilder();
        eb.Data.WriteString("prompt", Cut(text, TranscriptMapper.TextLimit, ""));
        Add(eb.Build(EventType.UserPrompt, _sid, t, eventId: Id("prompt:" + key)));
    }

    public void Assistant(double t, string key, string text, string model, string phase)
    {
        session.HasActivity = true;
        var eb = new EventBuilder();
        eb.Data.WriteString("text", Cut(text, TranscriptMapper.TextLimit, ""));
        if (model.Length > 0) eb.Data.WriteString("model", R(model));
        if (phase.Length > 0) eb.Data.WriteString("phase", R(phase));
        Add(eb.Build(EventType.AssistantResponse, _sid, t, eventId: Id("text:" + key)));
    }

    public void Decision(double t, string key, string choice, string reason)
    {
        var eb = new EventBuilder();
        eb.Data.WriteString("choice", R(choice));
        eb.Data.WriteString("reason", Cut(reason, TranscriptMapper.TextLimit, "..."));
        Add(eb.Build(EventType.Decision, _sid, t, eventId: Id("decision:" + key)));
    }

    public void Error(double t, string key, string type, string message)
    {
        var eb = new EventBuilder();
        eb.Data.WriteString("error_type", R(type));
        eb.Data.WriteString("message", Cut(message, 500, "..."));
        Add(eb.Build(EventType.Error, _sid, t, eventId: Id("error:" + key)));
        _m.Errors++;
    }

    /// <summary>A tool call; <paramref name="arguments"/> is a JSON object.</summary>
    public string ToolCall(double t, string callId, string name, ReadOnlySpan<byte> arguments, Action<PyJsonWriter>? extra = null)
    {
        session.HasActivity = true;
        var eb = new EventBuilder();
        eb.Data.WriteString("tool_name", name.Length > 0 ? R(name) : "unknown");
        WriteArguments(eb.Data, arguments);
        eb.Data.WriteString("tool_use_id", R(callId));
        extra?.Invoke(eb.Data);
        string id = ToolId(session.Agent, callId);
        Add(eb.Build(EventType.ToolCall, _sid, t, eventId: id));
        _m.ToolCalls++;
        return id;
    }

    /// <summary>The result of a call (an error event when it failed), parented to the call when it was seen.</summary>
    /// <param name="truncated">The result went on past <paramref name="text"/>, its head (read up to <see cref="Redactor.ReadLimit"/>).</param>
    public void ToolResult(double t, string callId, string name, double callTime, bool failed, string text, bool truncated, Action<PyJsonWriter>? extra = null)
    {
        var eb = new EventBuilder();
        if (name.Length > 0) eb.Data.WriteString("tool_name", R(name));
        eb.Data.WriteString("tool_use_id", R(callId));
        if (failed) eb.Data.WriteString("error", text.Length > 0 ? Cut(text, 500, "...", truncated) : "tool call failed");
        else eb.Data.WriteString("content_preview", Cut(text, TranscriptMapper.TextLimit, "...", truncated));
        extra?.Invoke(eb.Data);
        double? duration = callTime > 0 && t >= callTime ? (t - callTime) * 1000 : null;
        Add(eb.Build(failed ? EventType.Error : EventType.ToolResult, _sid, t,
            parentId: callTime > 0 ? ToolId(session.Agent, callId) : "", durationMs: duration, eventId: Id("tool_result:" + callId)));
        if (failed) _m.Errors++;
    }

    /// <summary>The arguments object, its strings (and keys) redacted as it is copied.</summary>
    private void WriteArguments(PyJsonWriter w, ReadOnlySpan<byte> arguments)
    {
        w.WritePropertyName("arguments");
        _m.Redactor.WriteRedacted(arguments, w);
    }

    /// <summary>An llm_request / llm_response pair; the request goes before every pending event (where the response began, at the last <see cref="Release"/>).</summary>
    public void Llm(double start, double end, string key, string model, AgentUsage u, Action<PyJsonWriter>? extra = null)
    {
        session.HasActivity = true;
        string requestId = Id("llm_request:" + key);
        var rq = new EventBuilder();
        model = R(model);
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
        _front.Insert(0, request);
        Add(response);
        _m.LlmRequests++;
        _m.TotalTokens += u.Total;
    }
}
