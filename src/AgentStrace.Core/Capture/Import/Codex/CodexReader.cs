using System.Text;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Capture.Import.Codex;

/// <summary>
/// Maps one Codex CLI rollout to a session. Token usage follows the rollout's own accounting: a <c>token_count</c>
/// line is one model response only when its cumulative <c>total_token_usage</c> changed (the previous info is
/// re-sent on every rate-limit update), its usage is <c>last_token_usage</c>, all-zero lines (after compaction or a
/// context-overflow reset) are skipped, and when the newer <c>token_usage_record</c> lines exist they are used instead,
/// one per (thread, response id). A forked child starts with its own session_meta, then a copy of the parent's
/// session_meta and the parent's history re-stamped to the fork instant: that copy ends at the child's first
/// turn_context and is never counted.
/// </summary>
public sealed class CodexReader
{
    public const string Agent = "codex";

    private readonly CodexScan _scan;
    private readonly AgentSession _s;
    private readonly AgentEvents _ev;
    private readonly UnknownRecords _unknown;
    private readonly Dictionary<string, (double Time, string Name)> _calls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _responses = new(StringComparer.Ordinal);
    private bool _metaSeen, _replay, _started;
    private string _model = "";
    private string _originator = "", _source = "";
    private long[]? _previousTotal;
    private byte[]? _previousRaw;
    private double _boundaryTime;
    private int _webSearches;

    private readonly string _path;

    private CodexReader(string path, CodexScan scan, UnknownRecords unknown, Redactor redactor)
    {
        _path = path;
        _scan = scan;
        _unknown = unknown;
        string id = scan.SessionId.Length > 0 ? scan.SessionId : IdFromFileName(path);
        _s = new AgentSession { SessionId = CaptureIds.SafePart(id, 128), Agent = Agent, Provider = "openai", Source = path, Redactor = redactor };
        _ev = new AgentEvents(_s);
        // The session's identity, parent and attribution come from the first pass, so they are known before any event is stored.
        if (scan.Meta.Raw.Length > 2) ApplyMeta(scan.Meta);
        _s.Command = $"codex {_s.Version} ({_originator}{(_source.Length > 0 ? ", " + _source : "")}) imported from {Path.GetFileName(path)}";
    }

    /// <summary>The session of the rollout, its events not read yet (see <see cref="Events"/>).</summary>
    public AgentSession Session => _s;

    /// <summary>Scans the rollout (first pass); <see cref="Events"/> then reads it again, streaming.</summary>
    public static CodexReader Open(string path, UnknownRecords unknown, Redactor? redactor = null) => new(path, CodexScan.Read(path), unknown, redactor ?? Redactor.Off);

    /// <summary>
    /// The session's events, in order, as the lines are read: at most a few thousand wait at a time (see
    /// <see cref="AgentEvents"/>; more wait in a temporary file). <see cref="Session"/>'s totals are final once they have all been read.
    /// </summary>
    public IEnumerable<TraceEvent> Events()
    {
        using AgentEvents ev = _ev;
        using (var lines = new JsonlLines(_path))
        {
            while (lines.MoveNext())
            {
                ReadOnlySpan<byte> raw = lines.Current.Span;
                bool headed = CodexHead.TryRead(raw, out ReadOnlySpan<byte> stamp, out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> payload);
                if (headed && stamp.Length > 0 && Skips(raw, type, payload)) Passed(IsoTime.Parse(stamp));
                else
                {
                    // A token_count's totals are three levels down (payload, info, totals): index them in the same read.
                    int levels = headed && payload.SequenceEqual("token_count"u8) ? 3 : 1;
                    try { Add(CodexLine.Parse(lines.Number, lines.Current, levels)); }
                    catch (Exception ex) when (IsBadJson(ex)) { _unknown.Add(Agent, "(unparsable line)"); }
                }
                while (_ev.TryTake(out TraceEvent e)) yield return e;
            }
        }
        EnsureStart(0);
        _ev.Release();
        while (_ev.TryTake(out TraceEvent e)) yield return e;
    }

    public static bool IsBadJson(Exception ex) => ex is System.Text.Json.JsonException or InvalidOperationException or FormatException or ArgumentException;

    /// <summary>rollout-2026-04-20T09-00-00-&lt;uuid&gt;.jsonl → the uuid (36 characters), else the file stem.</summary>
    public static string IdFromFileName(string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        return stem.Length > 36 && stem[^37] == '-' ? stem[^36..] : stem;
    }

    /// <summary>
    /// Whether the line, told from its head, is one whose only effect would be its time: a duplicated view the first
    /// pass found the other form of (agent_reasoning beside reasoning items, agent_message beside assistant items),
    /// snapshots and compactions, and a token_count that re-sends the previous totals byte for byte. Such a line is
    /// only checked to be one whole JSON object (a damaged one is parsed, and reported), not indexed or decoded.
    /// </summary>
    private bool Skips(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload)
    {
        bool skip;
        if (type.SequenceEqual("response_item"u8))
        {
            skip = payload.SequenceEqual("ghost_snapshot"u8) || payload.SequenceEqual("compaction"u8) || payload.SequenceEqual("compaction_summary"u8);
        }
        else
        {
            skip = type.SequenceEqual("event_msg"u8) && (payload.SequenceEqual("agent_reasoning"u8) ? _scan.HasReasoningItems
                : payload.SequenceEqual("agent_message"u8) ? _scan.HasAssistantItems
                : payload.SequenceEqual("token_count"u8) && SameTotals(raw));
        }
        return skip && Whole(raw);
    }

    /// <summary>True when the line is one complete JSON object (read as the parser would, nothing kept).</summary>
    private static bool Whole(ReadOnlySpan<byte> line)
    {
        try
        {
            var r = new System.Text.Json.Utf8JsonReader(line, PyJsonTranscoder.ReaderOptions);
            if (!r.Read() || r.TokenType != System.Text.Json.JsonTokenType.StartObject) return false;
            r.Skip();
            return !r.Read();
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when the line's first <c>"total_token_usage":{…}</c> is byte for byte the totals last parsed. That text
    /// cannot occur inside a JSON string (its quotes would be escaped), and Codex writes info's totals before anything
    /// else holding that name; any other layout just fails the comparison and is parsed.
    /// </summary>
    private bool SameTotals(ReadOnlySpan<byte> raw)
    {
        if (_previousRaw is null) return false;
        int at = raw.IndexOf("\"total_token_usage\":"u8);
        if (at < 0) return false;
        ReadOnlySpan<byte> rest = raw[(at + 20)..];
        int end = rest.IndexOfAny((byte)'}', (byte)'{', (byte)'[');
        if (rest.IsEmpty || rest[0] != '{' || end != 0) return false;
        int close = rest[1..].IndexOfAny((byte)'}', (byte)'{', (byte)'[');
        return close >= 0 && rest[1 + close] == '}' && rest[..(close + 2)].SequenceEqual(_previousRaw);
    }

    /// <summary>What every line does, for a line skipped by its head: its time counts (outside a fork's replayed history).</summary>
    private void Passed(double time)
    {
        _ev.Observe(_replay ? 0 : time);
        EnsureStart(time);
    }

    private void Add(CodexLine line)
    {
        _ev.Observe(_replay ? 0 : line.Time);
        if (line.Type != "session_meta") EnsureStart(line.Time);
        switch (line.Type)
        {
            case "session_meta": Meta(line); break;
            case "turn_context":
                _replay = false;
                _ev.Observe(line.Time);
                if (line.Payload.GetString("model"u8) is { Length: > 0 } model) _model = model;
                break;
            case "response_item": if (!_replay) Item(line); break;
            case "event_msg": Event(line); break;
            case "compacted":
                if (!_replay) _ev.Decision(line.Time, "compacted:" + line.Number, "compact", line.Payload.GetString("message"u8));
                break;
            case "token_usage_record": UsageRecord(line); break;
            default:
                if (!CodexKinds.IsLineType(line.Type)) _unknown.Add(Agent, line.Type);
                break;
        }
    }

    private void Meta(CodexLine line)
    {
        RawJsonObject p = line.Payload;
        string id = p.GetString("id"u8) is { Length: > 0 } i ? i : p.GetString("session_id"u8);
        if (_metaSeen)
        {
            // A second session_meta of another thread: the copied parent history of a fork follows.
            if (id.Length > 0 && CaptureIds.SafePart(id, 128) != _s.SessionId) _replay = true;
            return;
        }
        _metaSeen = true;
        _ev.Observe(TranscriptReader.ParseTime(p.GetString("timestamp"u8)));
        EnsureStart(line.Time);
    }

    /// <summary>The first session_meta: working directory, version, origin, git and the parent thread of a spawned agent.</summary>
    private void ApplyMeta(RawJsonObject p)
    {
        _s.Cwd = p.GetString("cwd"u8);
        _s.Version = p.GetString("cli_version"u8);
        _originator = p.GetString("originator"u8);
        RawJsonObject git = p.GetObject("git"u8);
        _s.Mapped.GitBranch = git.GetString("branch"u8);
        _s.GitCommit = git.GetString("commit_hash"u8);
        _s.GitRepo = git.GetString("repository_url"u8);
        RawJsonValue source = p.Get("source"u8);
        RawJsonObject spawn = source.AsObject().GetObject("subagent"u8).GetObject("thread_spawn"u8);
        _source = source.IsString ? source.GetString() : source.AsObject().TryGet("subagent"u8, out RawJsonValue sub)
            ? "subagent" + (sub.IsString ? ":" + sub.GetString() : spawn.Raw.Length > 2 ? ":thread_spawn" : "") : "";
        string parent = spawn.GetString("parent_thread_id"u8) is { Length: > 0 } pt ? pt
            : p.GetString("parent_thread_id"u8) is { Length: > 0 } pt2 ? pt2 : p.GetString("forked_from_id"u8);
        if (parent.Length > 0)
        {
            _s.ParentSessionId = CaptureIds.SafePart(parent, 128);
            _s.Depth = spawn.GetInt64("depth"u8) ?? 1;
        }
    }

    /// <summary>The session_start event, written once the first session_meta (or, without one, the first line) is read.</summary>
    private void EnsureStart(double t)
    {
        if (_started) return;
        _started = true;
        _ev.Start(_s.Mapped.Start > 0 ? _s.Mapped.Start : t, "", w =>
        {
            if (_s.Version.Length > 0) w.WriteString("cli_version", _ev.R(_s.Version));
            if (_originator.Length > 0) w.WriteString("originator", _ev.R(_originator));
            if (_source.Length > 0) w.WriteString("source", _ev.R(_source));
            if (_s.Mapped.GitBranch.Length > 0) w.WriteString("git_branch", _ev.R(_s.Mapped.GitBranch));
            if (_s.ParentSessionId.Length > 0) w.WriteString("parent_thread_id", _ev.R(_s.ParentSessionId));
        });
        Boundary(t);
    }

    /// <summary>Where the next model request goes; the events before it are final.</summary>
    private void Boundary(double t)
    {
        _boundaryTime = t;
        _ev.Release();
    }

    private void Event(CodexLine line)
    {
        RawJsonObject p = line.Payload;
        string type = line.PayloadType;
        string key = type + ":" + line.Number;
        switch (type)
        {
            case "token_count": TokenCount(line); return;
            case "thread_settings_applied":
                if (p.GetObject("thread_settings"u8).GetString("model"u8) is { Length: > 0 } m) _model = m;
                return;
        }
        if (_replay) return;
        switch (type)
        {
            case "user_message":
                string text = p.GetString("message"u8);
                if (text.Trim().Length > 0) _ev.Prompt(line.Time, key, text);
                Boundary(line.Time);
                break;
            case "task_started" or "turn_started":
                Boundary(line.Time);
                break;
            case "task_complete" or "turn_complete":
                if (p.GetDouble("duration_ms"u8) is double ms) _s.Mapped.TurnDurationMs += ms;
                break;
            case "agent_message" when !_scan.HasAssistantItems:
                _ev.Assistant(line.Time, key, p.GetString("message"u8), _model, p.GetString("phase"u8));
                break;
            case "agent_reasoning" when !_scan.HasReasoningItems:
                _ev.Decision(line.Time, key, "reasoning", p.GetString("text"u8));
                break;
            case "error":
                _ev.Error(line.Time, key, "codex_error", p.GetString("message"u8));
                break;
            case "turn_aborted":
                _ev.Decision(line.Time, key, "turn_aborted", p.GetString("reason"u8));
                break;
            case "thread_rolled_back":
                _ev.Decision(line.Time, key, "rollback", $"{p.GetInt64("num_turns"u8) ?? 0} turn(s) removed from the context (their tokens were spent)");
                break;
            case "entered_review_mode":
                _ev.Decision(line.Time, key, "review", p.GetString("user_facing_hint"u8));
                break;
            default:
                if (!CodexKinds.IsEvent(type)) _unknown.Add(Agent, "event_msg/" + type);
                break;
        }
    }

    private void Item(CodexLine line)
    {
        RawJsonObject p = line.Payload;
        string type = line.PayloadType;
        string key = type + ":" + line.Number;
        switch (type)
        {
            case "message":
                string role = p.GetString("role"u8);
                string text = ContentText(p.Get("content"u8));
                if (role == "assistant" && text.Length > 0) _ev.Assistant(line.Time, key, text, _model, p.GetString("phase"u8));
                else if (role == "user" && IsTypedPrompt(text))
                {
                    _ev.Prompt(line.Time, key, text);
                    Boundary(line.Time);
                }
                break;
            case "reasoning":
                string summary = Texts(p.Get("summary"u8), "summary_text");
                if (summary.Length > 0) _ev.Decision(line.Time, key, "reasoning", summary);
                break;
            case "function_call":
                {
                    string name = p.GetString("name"u8);
                    string ns = p.GetString("namespace"u8);
                    if (ns.Length > 0) name = ns + "__" + name;
                    string args = p.GetString("arguments"u8);
                    byte[] json = Encoding.UTF8.GetBytes(args);
                    Call(line, p.GetString("call_id"u8), name, JsonlFile.IsObject(json) ? json : Wrap("arguments", args), Kind(name, "function"));
                    break;
                }
            case "custom_tool_call":
                Call(line, p.GetString("call_id"u8), p.GetString("name"u8), Wrap("input", p.GetString("input"u8)), "custom");
                break;
            case "local_shell_call":
                Call(line, p.GetString("call_id"u8), "local_shell", p.GetObject("action"u8).Raw.ToArray(), "local_shell");
                break;
            case "tool_search_call":
                RawJsonValue a = p.Get("arguments"u8);
                Call(line, p.GetString("call_id"u8), "tool_search", a.IsObject ? a.Raw.ToArray() : Wrap("arguments", a.ToString()), "tool_search");
                break;
            case "web_search_call":
                {
                    // No call_id: the call and its outcome are one record.
                    string id = "web_search:" + _s.SessionId + ":" + (++_webSearches);
                    RawJsonObject action = p.GetObject("action"u8);
                    Call(line, id, "web_search", action.Raw.ToArray(), "web_search");
                    string status = p.GetString("status"u8);
                    string what = action.GetString("query"u8) is { Length: > 0 } q ? q : action.GetString("url"u8);
                    Result(line, id, status is "failed" or "incomplete", status + (what.Length > 0 ? ": " + what : ""), null);
                    break;
                }
            case "image_generation_call":
                {
                    string id = p.GetString("id"u8) is { Length: > 0 } gid ? gid : "image:" + line.Number;
                    Call(line, id, "image_generation", Wrap("prompt", p.GetString("revised_prompt"u8)), "image_generation");
                    Result(line, id, p.GetString("status"u8) == "failed", p.GetString("status"u8), null);
                    break;
                }
            case "function_call_output" or "custom_tool_call_output" or "tool_search_output":
                {
                    string callId = p.GetString("call_id"u8);
                    bool cut = false;
                    string output = type == "tool_search_output" ? p.Get("tools"u8).ToString()
                        : CodexOutput.Text(p.Get("output"u8), Redactor.ReadLimit(TranscriptMapper.TextLimit), out cut);
                    int? exit = CodexOutput.ExitCode(ref output);
                    Result(line, callId, exit is not null and not 0, output, exit, cut);
                    break;
                }
            case "ghost_snapshot" or "compaction" or "compaction_summary":
                break;
            default:
                _unknown.Add(Agent, "response_item/" + type);
                break;
        }
    }

    private static string Kind(string name, string fallback) =>
        name.StartsWith("mcp__", StringComparison.Ordinal) ? "mcp"
        : name is "shell" or "shell_command" or "exec_command" or "write_stdin" or "container.exec" ? "exec"
        : name is "spawn_agent" ? "spawn_agent" : fallback;

    private void Call(CodexLine line, string callId, string name, byte[] arguments, string kind)
    {
        if (callId.Length == 0) callId = "line:" + _s.SessionId + ":" + line.Number;
        if (_calls.ContainsKey(callId)) return;
        _calls[callId] = (line.Time, name);
        _ev.ToolCall(line.Time, callId, name, arguments, w =>
        {
            w.WriteString("tool_kind", kind);
            if (name.StartsWith("mcp__", StringComparison.Ordinal) && name.Split("__") is { Length: >= 3 } parts) w.WriteString("mcp_server", _ev.R(parts[1]));
        });
    }

    /// <param name="truncated">The output went on past <paramref name="text"/> (its head, see <see cref="Redactor.ReadLimit"/>).</param>
    private void Result(CodexLine line, string callId, bool failed, string text, int? exit, bool truncated = false)
    {
        _calls.TryGetValue(callId, out var call);
        CodexEnd end = _scan.Ends.TryGetValue(callId, out CodexEnd? e) ? e : CodexEnd.None;
        exit ??= end.ExitCode;
        failed |= end.Failed;
        if (failed && text.Length == 0) text = end.Text;
        double t = line.Time;
        double callTime = call.Time;
        if (end.DurationMs is double ms && callTime == 0) callTime = t - ms / 1000;
        _ev.ToolResult(t, callId, call.Name ?? "", callTime, failed, text, truncated, w =>
        {
            if (exit is int code) w.WriteNumber("exit_code", code);
            if (end.DurationMs is double d) w.WriteNumber("tool_duration_ms", d);
        });
        if (call.Name == "spawn_agent")
        {
            foreach (var (child, spawnCall) in _scan.Spawns) if (spawnCall == callId) _s.Mapped.AgentSpawns[child] = callId;
        }
        Boundary(t);
    }

    private void TokenCount(CodexLine line)
    {
        RawJsonObject info = line.Payload.GetObject("info"u8);
        if (!info.TryGet("total_token_usage"u8, out RawJsonValue totalValue) || !totalValue.IsObject) return;
        RawJsonObject totals = info.GetObject("total_token_usage"u8); // the same object, with its index
        // Most lines re-send the same totals byte for byte (rate-limit updates): only a different text is parsed.
        ReadOnlySpan<byte> raw = totalValue.Raw.Span;
        if (_previousRaw is not null && raw.SequenceEqual(_previousRaw)) return;
        _previousRaw = raw.ToArray();
        long[] total = Counters(totals);
        bool changed = _previousTotal is null || !total.AsSpan().SequenceEqual(_previousTotal);
        _previousTotal = total;
        if (!changed || _replay || _scan.HasUsageRecords) return;
        AgentUsage usage = Usage(info.GetObject("last_token_usage"u8));
        if (usage.IsZero) return;
        string model = info.GetString("model"u8) is { Length: > 0 } m ? m : _model;
        Response(line, "token_count:" + line.Number, model, usage, "");
    }

    private void UsageRecord(CodexLine line)
    {
        RawJsonObject p = line.Payload;
        string thread = p.GetString("thread_id"u8);
        if (_replay || (thread.Length > 0 && CaptureIds.SafePart(thread, 128) != _s.SessionId)) return;
        string response = p.GetString("response_id"u8);
        string key = response.Length > 0 ? "response:" + response : "record:" + line.Number;
        if (!_responses.Add(key)) return;
        AgentUsage usage = Usage(p.GetObject("usage"u8));
        if (usage.IsZero) return;
        Response(line, key, _model, usage, response);
    }

    private void Response(CodexLine line, string key, string model, AgentUsage usage, string responseId)
    {
        bool assumed = model.Length == 0;
        _ev.Llm(_boundaryTime, line.Time, key, assumed ? "gpt-5" : model, usage, w =>
        {
            if (responseId.Length > 0) w.WriteString("response_id", _ev.R(responseId));
            if (assumed) w.WriteBool("model_assumed", true);
        });
        Boundary(line.Time);
    }

    private static long[] Counters(RawJsonObject u) =>
    [
        u.GetInt64("input_tokens"u8) ?? 0, u.GetInt64("cached_input_tokens"u8) ?? 0, u.GetInt64("output_tokens"u8) ?? 0,
        u.GetInt64("reasoning_output_tokens"u8) ?? 0, u.GetInt64("total_tokens"u8) ?? 0, u.GetInt64("cache_write_input_tokens"u8) ?? 0,
    ];

    /// <summary>Cached and cache-write tokens are part of input_tokens; reasoning is part of output_tokens.</summary>
    public static AgentUsage Usage(RawJsonObject u)
    {
        long input = Math.Max(0, u.GetInt64("input_tokens"u8) ?? 0);
        long cached = Math.Clamp(u.GetInt64("cached_input_tokens"u8) ?? 0, 0, input);
        long write = Math.Clamp(u.GetInt64("cache_write_input_tokens"u8) ?? 0, 0, input - cached);
        long output = Math.Max(0, u.GetInt64("output_tokens"u8) ?? 0);
        return new AgentUsage(input - cached - write, cached, write, output, Math.Max(0, u.GetInt64("reasoning_output_tokens"u8) ?? 0));
    }

    private static string ContentText(RawJsonValue content)
    {
        return content.IsString ? content.GetString() : Texts(content, "input_text", "output_text", "text");
    }

    /// <summary>The non-empty <c>text</c> of the items of these types, joined by newlines.</summary>
    private static string Texts(RawJsonValue items, params string[] types)
    {
        var sb = new StringBuilder();
        foreach (RawJsonValue item in RawJsonObject.Elements(items))
        {
            RawJsonObject o = item.AsObject();
            if (Array.IndexOf(types, o.GetString("type"u8)) < 0 || o.GetString("text"u8) is not { Length: > 0 } text) continue;
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(text);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A user-role response item is a typed prompt only when no user_message event carries it (those are the real
    /// prompts) and it is not injected context (AGENTS.md, environment context, instructions): the case of a
    /// spawned agent, whose task arrives as a user item.
    /// </summary>
    private bool IsTypedPrompt(string text)
    {
        string t = text.Trim();
        return t.Length > 0 && !_scan.IsUserMessage(t) && !t.StartsWith('<') && !t.StartsWith("# AGENTS.md", StringComparison.Ordinal)
            && !t.StartsWith("# Context from my IDE", StringComparison.Ordinal);
    }

    private static byte[] Wrap(string key, string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString(key, value);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
