using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Capture.Import.Gemini;

/// <summary>
/// Maps a replayed Gemini CLI chat to a session. Usage is recorded per model call on each gemini message:
/// <c>input</c> (promptTokenCount) already contains <c>cached</c>; <c>thoughts</c> is not inside <c>output</c> and is
/// billed as output; <c>tool</c> (toolUsePromptTokenCount) is billed as input. Tool calls carry their own id, status
/// (success, error, cancelled), result parts and completion time; a call that ran a sub-agent names it in <c>agentId</c>.
/// </summary>
public sealed class GeminiReader
{
    public const string Agent = "gemini-cli";

    private readonly AgentSession _s;
    private readonly AgentEvents _ev;
    private readonly UnknownRecords _unknown;
    private readonly GeminiChat _chat;
    private double _boundaryTime;

    private GeminiReader(AgentSession s, GeminiChat chat, UnknownRecords unknown)
    {
        _s = s;
        _chat = chat;
        _ev = new AgentEvents(s);
        _unknown = unknown;
    }

    /// <summary>The chat's session, its events not read yet (see <see cref="Events"/>).</summary>
    public AgentSession Session => _s;

    public static GeminiReader Open(string path, GeminiChat chat, UnknownRecords unknown, Redactor? redactor = null)
    {
        string id = chat.SessionId.Length > 0 ? chat.SessionId : Path.GetFileNameWithoutExtension(path);
        var s = new AgentSession { SessionId = CaptureIds.SafePart(id, 128), Agent = Agent, Provider = "google", Source = path, Redactor = redactor ?? Redactor.Off };
        s.Cwd = GeminiImporter.ProjectRoot(path);
        s.Command = (chat.Kind == "subagent" ? "gemini-cli sub-agent" : "gemini-cli") + (chat.Summary.Length > 0 ? $" \"{TranscriptMapper.Cut(chat.Summary, 80, "...")}\"" : "")
            + $" imported from {Path.GetFileName(path)}";
        return new GeminiReader(s, chat, unknown);
    }

    /// <summary>
    /// The session's events, in order, as the replayed messages are read back one at a time; <see cref="Session"/>'s
    /// totals are final once they have all been read.
    /// </summary>
    public IEnumerable<TraceEvent> Events()
    {
        GeminiChat chat = _chat;
        using AgentEvents ev = _ev;
        using GeminiMessages messages = chat.Open();
        _ev.Observe(chat.StartTime);
        string firstModel = "";
        foreach (GeminiMessage at in chat.Messages)
        {
            if (!at.HasModel) continue;
            firstModel = messages.Load(at).GetString("model"u8);
            break;
        }
        double first = chat.StartTime > 0 || chat.Messages.Count == 0 ? chat.StartTime : Time(messages.Load(chat.Messages[0]));
        _ev.Start(first, firstModel, w =>
        {
            w.WriteString("kind", _ev.R(chat.Kind));
            if (chat.Summary.Length > 0) w.WriteString("summary", _ev.R(chat.Summary));
        });
        Boundary(chat.StartTime);
        foreach (GeminiMessage at in chat.Messages)
        {
            Message(messages.Load(at), at, messages);
            while (_ev.TryTake(out TraceEvent e)) yield return e;
        }
        for (int i = 0; i < chat.Spent.Count; i++)
        {
            (GeminiMessage at, ulong id) = chat.Spent.At(i);
            if (!chat.Contains(id))
            {
                RawJsonObject m = messages.Load(at);
                Usage(m, m.GetString("id"u8), rewound: true);
            }
            while (_ev.TryTake(out TraceEvent e)) yield return e;
        }
        if (chat.LastUpdated > 0 && _s.HasActivity) _ev.Observe(chat.LastUpdated);
        _ev.Release();
        while (_ev.TryTake(out TraceEvent e)) yield return e;
    }

    private void Boundary(double t)
    {
        _ev.Release();
        if (t > 0) _boundaryTime = t;
    }

    private static double Time(RawJsonObject m) => TranscriptReader.ParseTime(m.GetString("timestamp"u8));

    private void Message(RawJsonObject m, GeminiMessage at, GeminiMessages messages)
    {
        string id = m.GetString("id"u8);
        string type = m.GetString("type"u8);
        double t = Time(m);
        _ev.Observe(t);
        string text = Text(m.Get("content"u8));
        switch (type)
        {
            case "user":
                string shown = m.TryGet("displayContent"u8, out RawJsonValue display) && !display.IsNull ? Text(display) : text;
                if (!shown.TrimStart().StartsWith('<') && shown.Trim().Length > 0)
                {
                    _ev.Prompt(t, id, shown);
                    Boundary(t);
                }
                break;
            case "gemini":
                string model = m.GetString("model"u8);
                var thoughts = new List<string>();
                foreach (RawJsonValue v in RawJsonObject.Elements(m.Get("thoughts"u8)))
                {
                    RawJsonObject o = v.AsObject();
                    string thought = (o.GetString("subject"u8) is { Length: > 0 } subject ? subject + ": " : "") + o.GetString("description"u8);
                    if (thought.Trim().Length > 0) thoughts.Add(thought);
                }
                if (thoughts.Count > 0) _ev.Decision(t, id, "thought", string.Join("\n", thoughts));
                if (text.Length > 0) _ev.Assistant(t, id, text, model, "");
                // The last write with tokens is billed, even when a later write of the message has none.
                Usage(id.Length > 0 && _chat.Spent.TryGetValue(id, out GeminiMessage? spent) && !spent.Same(at) ? messages.LoadCopy(spent) : m, id, rewound: false);
                foreach (RawJsonObject call in RawJsonObject.ObjectElements(m.Get("toolCalls"u8))) Tool(call, t);
                break;
            case "error":
                _ev.Error(t, id, "gemini_error", text);
                break;
            case "warning":
                _ev.Decision(t, id, "warning", text);
                break;
            case "info":
                break;
            default:
                _unknown.Add(Agent, "message/" + type);
                break;
        }
    }

    private void Usage(RawJsonObject m, string id, bool rewound)
    {
        RawJsonObject tokens = m.GetObject("tokens"u8);
        if (tokens.Raw.Length <= 2) return;
        AgentUsage usage = Tokens(tokens);
        if (usage.IsZero) return;
        double t = Time(m);
        _ev.Llm(_boundaryTime, t, id, m.GetString("model"u8) is { Length: > 0 } model ? model : "gemini", usage, w =>
        {
            w.WriteNumber("tool_use_prompt_tokens", tokens.GetInt64("tool"u8) ?? 0);
            if (rewound) w.WriteBool("rewound", true);
        });
        if (!rewound) Boundary(t);
    }

    /// <summary><c>cached</c> ⊂ <c>input</c>; <c>thoughts</c> ∉ <c>output</c>; <c>tool</c> is prompt input outside <c>input</c>.</summary>
    public static AgentUsage Tokens(RawJsonObject tokens)
    {
        long input = Math.Max(0, tokens.GetInt64("input"u8) ?? 0);
        long cached = Math.Clamp(tokens.GetInt64("cached"u8) ?? 0, 0, input);
        long tool = Math.Max(0, tokens.GetInt64("tool"u8) ?? 0);
        long thoughts = Math.Max(0, tokens.GetInt64("thoughts"u8) ?? 0);
        long output = Math.Max(0, tokens.GetInt64("output"u8) ?? 0);
        return new AgentUsage(input - cached + tool, cached, 0, output + thoughts, thoughts);
    }

    private void Tool(RawJsonObject call, double messageTime)
    {
        string id = call.GetString("id"u8);
        string name = call.GetString("name"u8);
        double done = TranscriptReader.ParseTime(call.GetString("timestamp"u8));
        if (done == 0) done = messageTime;
        RawJsonValue args = call.Get("args"u8);
        string agentId = call.GetString("agentId"u8);
        if (id.Length == 0) id = "line:" + _s.SessionId + ":" + name + ":" + done.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _ev.ToolCall(messageTime, id, name, args.IsObject ? args.Raw.Span : "{}"u8, w =>
        {
            w.WriteString("tool_kind", name.StartsWith("mcp_", StringComparison.Ordinal) ? "mcp" : name == "invoke_agent" || agentId.Length > 0 ? "sub_agent" : "function");
            if (agentId.Length > 0) w.WriteString("agent_id", _ev.R(agentId));
        });
        if (agentId.Length > 0) _s.Mapped.AgentSpawns[agentId] = id;
        string status = call.GetString("status"u8);
        if (status is "" or "validating" or "scheduled" or "executing" or "awaiting_approval") return;
        bool failed = status is "error" or "cancelled";
        string result = ResultText(call, Redactor.ReadLimit(TranscriptMapper.TextLimit), out bool cut);
        if (status == "cancelled" && result.Length == 0) result = "cancelled";
        _ev.ToolResult(done, id, name, messageTime, failed, result, cut, w => w.WriteString("status", _ev.R(status)));
        Boundary(done);
    }

    private static readonly byte[][] s_errorOutput = ["error"u8.ToArray(), "output"u8.ToArray()];

    /// <summary>The first <paramref name="maxChars"/> chars of the call's result parts joined by newlines (a huge
    /// output is never decoded whole); <paramref name="truncated"/>: they went on.</summary>
    private static string ResultText(RawJsonObject call, int maxChars, out bool truncated)
    {
        var text = new System.Text.StringBuilder();
        bool any = false;
        truncated = false;
        Span<RawJsonValue> found = new RawJsonValue[2];
        foreach (RawJsonObject p in RawJsonObject.ObjectElements(call.Get("result"u8)))
        {
            // The parts are indexed as they are read; the response's two keys are found in one more pass over it.
            found.Clear();
            p.GetObject("functionResponse"u8).GetObject("response"u8).GetMany(s_errorOutput, found);
            // A string's raw bytes are its content without quotes: non-empty raw, non-empty text.
            RawJsonValue value;
            if (found[0] is { IsString: true, Raw.IsEmpty: false } error) value = error;
            else if (found[1].Kind != System.Text.Json.JsonTokenType.None) value = found[1];
            else if (p.Get("text"u8) is { IsString: true, Raw.IsEmpty: false } t) value = t;
            else continue;
            if (text.Length >= maxChars)
            {
                truncated = true;
                break;
            }
            if (any) text.Append('\n');
            any = true;
            Append(text, value, maxChars, ref truncated);
        }
        if (!any && call.Get("resultDisplay"u8) is { IsString: true } display) Append(text, display, maxChars, ref truncated);
        return text.ToString();
    }

    // A string value's head, or another value's JSON text cut to what is left of maxChars.
    private static void Append(System.Text.StringBuilder text, RawJsonValue value, int maxChars, ref bool truncated)
    {
        int left = Math.Max(0, maxChars - text.Length);
        bool cut = false;
        string s = value.IsString ? value.GetStringHead(left, out cut) : value.ToString();
        if (!value.IsString && s.Length > left)
        {
            s = s[..left];
            cut = true;
        }
        text.Append(s);
        truncated |= cut;
    }

    /// <summary>A string, or Part[] (<c>[{text}]</c>) joined.</summary>
    public static string Text(RawJsonValue content)
    {
        if (content.IsString) return content.GetString();
        if (content.IsObject) return content.AsObject().GetString("text"u8);
        var parts = new List<string>();
        foreach (RawJsonValue v in RawJsonObject.Elements(content))
        {
            string s = v.IsString ? v.GetString() : v.AsObject().GetString("text"u8);
            if (s.Length > 0) parts.Add(s);
        }
        return string.Join("\n", parts);
    }
}
