namespace AgentStrace.Tests.Otlp;

/// <summary>
/// A small store covering what the sample store does not: Anthropic cache writes, OpenAI and Gemini usage, a model the
/// provider of which is unknown, a failed model call, an MCP JSON-RPC error answering a call by request id, and a
/// session the watchdog killed. Written once per test run into a temp folder.
/// </summary>
public static class HandmadeStore
{
    private static readonly Lazy<string> s_path = new(Create);

    public static string Path => s_path.Value;

    private static string Create()
    {
        string root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "as-handmade-" + Guid.NewGuid().ToString("N")[..10]);
        Session(root, "hm-models", "bot", 1_700_000_000,
            """{"event_type":"llm_request","timestamp":1700000000.1,"event_id":"m1","session_id":"hm-models","data":{"model":"claude-sonnet-4-6","max_tokens":512}}""",
            """{"event_type":"llm_response","timestamp":1700000000.5,"event_id":"m2","session_id":"hm-models","parent_id":"m1","data":{"model":"claude-sonnet-4-6","stop_reason":"end_turn","usage":{"input_tokens":100,"cache_read_input_tokens":2000,"cache_creation_input_tokens":300,"output_tokens":40}}}""",
            """{"event_type":"llm_request","timestamp":1700000001.0,"event_id":"m3","session_id":"hm-models","data":{"model":"gpt-4o-2024-08-06"}}""",
            """{"event_type":"llm_response","timestamp":1700000001.4,"event_id":"m4","session_id":"hm-models","parent_id":"m3","data":{"model":"gpt-4o-2024-08-06","finish_reason":"stop","usage":{"prompt_tokens":1200,"completion_tokens":30,"prompt_tokens_details":{"cached_tokens":1024}}}}""",
            """{"event_type":"llm_request","timestamp":1700000002.0,"event_id":"m5","session_id":"hm-models","data":{"model":"gemini-2.5-flash"}}""",
            """{"event_type":"llm_response","timestamp":1700000002.3,"event_id":"m6","session_id":"hm-models","parent_id":"m5","data":{"model":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":400,"candidatesTokenCount":20,"cachedContentTokenCount":100}}}""",
            """{"event_type":"llm_request","timestamp":1700000003.0,"event_id":"m7","session_id":"hm-models","data":{"model":"my-local-llama"}}""",
            """{"event_type":"llm_response","timestamp":1700000003.2,"event_id":"m8","session_id":"hm-models","parent_id":"m7","data":{"model":"my-local-llama","usage":{"input_tokens":5,"output_tokens":5}}}""",
            """{"event_type":"llm_request","timestamp":1700000004.0,"event_id":"m9","session_id":"hm-models","data":{"model":"claude-sonnet-4-6"}}""",
            """{"event_type":"error","timestamp":1700000004.4,"event_id":"m10","session_id":"hm-models","parent_id":"m9","data":{"message":"rate limited","exception_type":"RateLimitError"}}""",
            """{"event_type":"user_prompt","timestamp":1700000004.5,"event_id":"m11","session_id":"hm-models","data":{"prompt":"again"}}""",
            """{"event_type":"assistant_response","timestamp":1700000004.6,"event_id":"m12","session_id":"hm-models","data":{"text":"ok"}}""",
            """{"event_type":"session_end","timestamp":1700000005.0,"event_id":"m13","session_id":"hm-models","data":{}}""");
        Session(root, "hm-mcp", "filesystem", 1_700_000_100,
            """{"event_type":"tool_call","timestamp":1700000100.1,"event_id":"p1","session_id":"hm-mcp","data":{"tool_name":"search_files","arguments":{"path":"/etc"},"request_id":3}}""",
            """{"event_type":"error","timestamp":1700000100.2,"event_id":"p2","session_id":"hm-mcp","data":{"code":-32603,"message":"Access denied","request_id":3}}""",
            """{"event_type":"tool_call","timestamp":1700000100.3,"event_id":"p3","session_id":"hm-mcp","data":{"tool_name":"read_file","arguments":{"path":"/a"},"request_id":4}}""",
            """{"event_type":"session_end","timestamp":1700000101.0,"event_id":"p4","session_id":"hm-mcp","data":{"exit_code":0}}""");
        Session(root, "hm-killed", "claude-code", 1_700_000_200,
            """{"event_type":"tool_call","timestamp":1700000200.1,"event_id":"k1","session_id":"hm-killed","data":{"tool_name":"Bash","arguments":{"command":"sleep 999"}}}""");
        File.WriteAllText(System.IO.Path.Combine(root, "hm-killed", "watchdog-postmortem.json"), """{"session_id": "hm-killed", "reason": "cost limit"}""");
        return root;
    }

    private static void Session(string root, string id, string agent, double start, params string[] lines)
    {
        string dir = System.IO.Path.Combine(root, id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(System.IO.Path.Combine(dir, "events.ndjson"), string.Join("\n", lines) + "\n");
        File.WriteAllText(System.IO.Path.Combine(dir, "meta.json"),
            $$"""{"session_id": "{{id}}", "started_at": {{start}}, "ended_at": {{start + 10}}, "agent_name": "{{agent}}"}""");
    }
}
