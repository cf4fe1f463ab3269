using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Demo;

/// <summary>
/// An embedded, realistic Claude Code session (prompt, model calls with token usage, several tools, a failing
/// command, a retry, a sub-agent) that <c>demo</c> writes into a fresh store so the pipeline runs with no setup.
/// </summary>
public static class DemoSession
{
    public const string SessionId = "d3m0c0de-7a1b-4e";
    public const string SubagentId = "d3m0a6e47c2f9b10";
    private const string Model = "claude-sonnet-4-6";
    private const string Cwd = "/home/dev/shop-api";

    /// <summary>Writes the parent and sub-agent sessions into <paramref name="store"/>; returns the parent.</summary>
    public static SessionInfo Write(TraceStore store, double? startedAt = null)
    {
        double t0 = startedAt ?? Math.Round(Clock.Now() - 120, 3);
        var parent = new Session(store, SessionId, t0, "claude-code", "claude-code (startup)");
        parent.Add(EventType.SessionStart, 0, w =>
        {
            w.WriteString("mode", "claude-code-hooks"); w.WriteString("provider", "claude"); w.WriteString("source", "startup");
            w.WriteString("model", Model); w.WriteString("cwd", Cwd);
        });
        parent.Add(EventType.UserPrompt, 1.204, w => w.WriteString("prompt", "The checkout test fails on tax rounding. Fix it and make sure the payments module is not affected."));
        string llm1 = parent.Llm(1.31, 3.92, 5120, 238, 4096, 18200, "tool_use");
        _ = llm1;
        string read = parent.Tool(4.01, 0.048, "Read", w => w.WriteString("file_path", Cwd + "/tests/test_checkout.py"), "42 lines");
        parent.Tool(4.2, 0.212, "Grep", w => { w.WriteString("pattern", "round\\(subtotal"); w.WriteString("path", "src"); }, "src/checkout.py:31: tax = round(subtotal * 0.08, 1)");
        _ = read;
        parent.Llm(4.5, 7.85, 7340, 412, 4096, 18200, "tool_use");
        parent.ToolError(8.02, 3.35, "Bash", w => { w.WriteString("command", "python -m pytest tests/test_checkout.py -q"); w.WriteString("description", "Run checkout tests"); },
            "Exit code 1\nFAILED tests/test_checkout.py::test_total_includes_tax - assert 108.0 == 108.5");
        parent.Llm(11.5, 14.1, 8960, 301, 4096, 18200, "tool_use");
        parent.Tool(14.2, 0.089, "Edit", w =>
        {
            w.WriteString("file_path", Cwd + "/src/checkout.py");
            w.WriteString("old_string", "tax = round(subtotal * 0.08, 1)");
            w.WriteString("new_string", "tax = round(subtotal * 0.085, 2)");
        }, "The file src/checkout.py has been updated.");
        parent.Add(EventType.FileWrite, 14.29, w => w.WriteString("path", Cwd + "/src/checkout.py"));
        string agentCall = parent.Tool(14.6, 36.6, "Agent", w =>
        {
            w.WriteString("description", "Review payments module");
            w.WriteString("prompt", "Check src/payments.py for the same rounding bug and report back.");
            w.WriteString("subagent_type", "Explore");
        }, "payments.py uses Decimal.quantize(); no rounding bug found.");
        parent.Tool(51.4, 2.89, "Bash", w => { w.WriteString("command", "python -m pytest tests/test_checkout.py -q"); w.WriteString("description", "Run checkout tests"); },
            "...\n3 passed in 0.41s");
        parent.Llm(54.5, 57.2, 9870, 156, 4096, 18200, "end_turn");
        parent.Add(EventType.AssistantResponse, 57.3, w => w.WriteString("text", "Fixed the tax rounding in src/checkout.py (rate 0.085, 2 decimals); all 3 checkout tests pass. The payments module uses Decimal and is unaffected."));
        parent.End(58.1);

        var child = new Session(store, SubagentId, t0 + 14.7, "claude-code", "subagent: Explore", SessionId, agentCall, 1);
        child.Add(EventType.SessionStart, 0, w => { w.WriteString("mode", "claude-code-subagent"); w.WriteString("subagent_type", "Explore"); w.WriteString("model", "claude-haiku-4-5"); });
        child.Add(EventType.UserPrompt, 0.05, w => w.WriteString("prompt", "Check src/payments.py for the same rounding bug and report back."));
        child.Llm(0.1, 2.3, 3100, 120, 2048, 0, "tool_use", "claude-haiku-4-5");
        child.Tool(2.4, 0.041, "Read", w => w.WriteString("file_path", Cwd + "/src/payments.py"), "88 lines");
        child.Tool(2.6, 0.17, "Grep", w => { w.WriteString("pattern", "quantize|round\\("); w.WriteString("path", "src/payments.py"); }, "src/payments.py:12: .quantize(Decimal(\"0.01\"), rounding=ROUND_HALF_UP)");
        child.Llm(2.9, 36.1, 4020, 96, 2048, 0, "end_turn", "claude-haiku-4-5");
        child.Add(EventType.AssistantResponse, 36.2, w => w.WriteString("text", "payments.py uses Decimal.quantize(); no rounding bug found."));
        child.End(36.4);
        return store.Find(SessionId);
    }

    private sealed class Session
    {
        private readonly TraceStore _store;
        private readonly EventWriter _writer;
        private readonly SessionMeta _meta;
        private readonly double _t0;

        public Session(TraceStore store, string id, double t0, string agent, string command, string parentSession = "", string parentEvent = "", int depth = 0)
        {
            _store = store;
            _t0 = t0;
            _meta = new SessionMeta
            {
                SessionId = id, StartedAt = t0, AgentName = agent, Command = command,
                ParentSessionId = parentSession, ParentEventId = parentEvent, Depth = depth,
            };
            _writer = new EventWriter(store.Create(_meta).Directory);
        }

        public TraceEvent Add(EventType type, double at, Action<PyJsonWriter> data, string parentId = "", double? durationMs = null)
        {
            var b = new EventBuilder();
            data(b.Data);
            return _writer.Append(b.Build(type, _meta.SessionId, Math.Round(_t0 + at, 6), parentId, durationMs));
        }

        public string Llm(double at, double end, long input, long output, long maxTokens, long cacheRead, string stop, string model = Model)
        {
            var req = Add(EventType.LlmRequest, at, w =>
            {
                w.WriteString("model", model); w.WriteNumber("input_tokens", input); w.WriteNumber("max_tokens", maxTokens);
                if (cacheRead > 0) w.WriteNumber("cache_read_input_tokens", cacheRead);
            });
            Add(EventType.LlmResponse, end, w =>
            {
                w.WriteString("model", model); w.WriteNumber("output_tokens", output); w.WriteString("stop_reason", stop);
                w.WritePropertyName("usage"); w.WriteStartObject();
                w.WriteNumber("input_tokens", input); w.WriteNumber("output_tokens", output);
                w.WriteNumber("cache_read_input_tokens", cacheRead); w.WriteNumber("cache_creation_input_tokens", 0L);
                w.WriteEndObject();
            }, req.EventId, Math.Round((end - at) * 1000, 3));
            _meta.LlmRequests++;
            _meta.TotalTokens += input + output + cacheRead;
            return req.EventId;
        }

        public string Tool(double at, double seconds, string tool, Action<PyJsonWriter> args, string result)
        {
            var call = Add(EventType.ToolCall, at, w => { w.WriteString("tool_name", tool); w.WritePropertyName("arguments"); w.WriteStartObject(); args(w); w.WriteEndObject(); });
            Add(EventType.ToolResult, at + seconds, w => { w.WriteString("tool_name", tool); w.WriteString("result", result); }, call.EventId, Math.Round(seconds * 1000, 3));
            _meta.ToolCalls++;
            return call.EventId;
        }

        public void ToolError(double at, double seconds, string tool, Action<PyJsonWriter> args, string error)
        {
            var call = Add(EventType.ToolCall, at, w => { w.WriteString("tool_name", tool); w.WritePropertyName("arguments"); w.WriteStartObject(); args(w); w.WriteEndObject(); });
            Add(EventType.Error, at + seconds, w => { w.WriteString("tool_name", tool); w.WriteString("error", error); }, call.EventId, Math.Round(seconds * 1000, 3));
            _meta.ToolCalls++;
            _meta.Errors++;
        }

        public void End(double at)
        {
            Add(EventType.SessionEnd, at, w => w.WriteNumber("duration_ms", Math.Round(at * 1000, 3)));
            _meta.EndedAt = Math.Round(_t0 + at, 6);
            _meta.TotalDurationMs = Math.Round(at * 1000, 3);
            TraceStore.WriteMeta(_store.SessionDir(_meta.SessionId), _meta);
        }
    }
}
