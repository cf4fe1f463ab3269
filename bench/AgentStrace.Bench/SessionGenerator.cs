using System.Buffers;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Bench;

/// <summary>
/// Synthetic sessions in the upstream on-disk format, shaped like <c>shared/tools/gen_session.py</c>
/// (N tool calls, a prompt + model call every 25 calls, 5% errors), seedable, hash-chained.
/// </summary>
public static class SessionGenerator
{
    private static readonly string[] s_tools = ["Bash", "Read", "Edit", "Write", "Grep", "Glob", "WebFetch", "mcp__github__get_issue"];

    public static string Generate(string storeDir, int toolCalls, int seed, double t0 = 1790000000, Action<SessionMeta>? adjust = null)
    {
        var rnd = new Random(seed);
        string sid = rnd.NextInt64().ToString("x16");
        string dir = Path.Combine(storeDir, sid);
        Directory.CreateDirectory(dir);
        double t = t0;
        long errors = 0, calls = 0, llm = 0;
        string prev = "";
        using (var file = new FileStream(Path.Combine(dir, "events.ndjson"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var line = new ArrayBufferWriter<byte>(4096);
            string Eid() => rnd.NextInt64(1L << 48).ToString("x12");
            string Emit(EventType type, string parent, double? dur, Action<PyJsonWriter> data)
            {
                var b = new EventBuilder();
                data(b.Data);
                TraceEvent e = b.Build(type, sid, t, parent, dur, Eid());
                line.ResetWrittenCount();
                EventLine.Write(new TraceEvent { Type = e.Type, Timestamp = e.Timestamp, EventId = e.EventId, SessionId = sid, ParentId = parent, DurationMs = dur, Data = e.Data, PrevHash = prev }, line);
                prev = Ids.Sha256Hex(line.WrittenSpan);
                file.Write(line.WrittenSpan);
                file.WriteByte((byte)'\n');
                return e.EventId;
            }
            Emit(EventType.SessionStart, "", null, w => { w.WriteString("mode", "claude-code-hooks"); w.WriteString("source", "startup"); w.WriteString("model", "claude-sonnet-4-5"); });
            for (int i = 0; i < toolCalls; i++)
            {
                if (i % 25 == 0)
                {
                    t += rnd.NextDouble();
                    Emit(EventType.UserPrompt, "", null, w => w.WriteString("prompt", $"fix the failing test in module {i} and explain why it failed"));
                    t += rnd.NextDouble(); llm++;
                    Emit(EventType.LlmRequest, "", null, w => { w.WriteString("model", "claude-sonnet-4-5"); w.WriteNumber("input_tokens", (long)rnd.Next(1000, 90001)); });
                    t += rnd.NextDouble();
                    Emit(EventType.LlmResponse, "", null, w => { w.WriteString("model", "claude-sonnet-4-5"); w.WriteNumber("output_tokens", (long)rnd.Next(10, 4001)); w.WriteString("stop_reason", "tool_use"); });
                }
                string tool = s_tools[rnd.Next(s_tools.Length)];
                t += rnd.NextDouble() * 2;
                int contentLength = rnd.Next(0, 401);
                int n = i;
                string callId = Emit(EventType.ToolCall, "", null, w =>
                {
                    w.WriteString("tool_name", tool);
                    w.WritePropertyName("arguments");
                    w.WriteStartObject();
                    if (tool == "Bash") w.WriteString("command", $"pytest tests/test_mod_{n}.py -x -q --tb=short");
                    else { w.WriteString("file_path", $"/home/dev/project/src/module_{n % 40}/file_{n}.py"); w.WriteString("content", new string('x', contentLength)); }
                    w.WriteEndObject();
                });
                calls++;
                double dur = rnd.NextDouble() * 3000;
                t += dur / 1000;
                if (rnd.NextDouble() < 0.05)
                {
                    errors++;
                    Emit(EventType.Error, callId, dur, w => { w.WriteString("tool_name", tool); w.WriteString("error", $"Command failed with exit code 1: AssertionError in test_{n}"); });
                }
                else
                {
                    int resultLength = rnd.Next(0, 601);
                    Emit(EventType.ToolResult, callId, dur, w => { w.WriteString("tool_name", tool); w.WriteString("result", "ok " + new string('y', resultLength)); });
                }
                if (i % 25 == 24)
                {
                    t += rnd.NextDouble();
                    Emit(EventType.AssistantResponse, "", null, w => w.WriteString("text", string.Concat(Enumerable.Repeat("Fixed the test. The failure was caused by an off-by-one in the loop bounds. ", 3))));
                }
            }
            t += 1;
            Emit(EventType.SessionEnd, "", null, _ => { });
        }
        var meta = new SessionMeta
        {
            SessionId = sid, StartedAt = t0, EndedAt = t, AgentName = "claude-code", Command = "claude-code (startup)",
            ToolCalls = calls, LlmRequests = llm, Errors = errors, TotalDurationMs = (t - t0) * 1000,
        };
        adjust?.Invoke(meta);
        TraceStore.WriteMeta(dir, meta);
        return sid;
    }
}
