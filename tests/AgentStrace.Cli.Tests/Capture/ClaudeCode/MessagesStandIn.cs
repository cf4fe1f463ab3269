using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Capture.ClaudeCode;

/// <summary>One scripted answer: text, or a tool call.</summary>
public sealed record ScriptStep(string? Text = null, string? Tool = null, JsonObject? Input = null)
{
    public static ScriptStep Say(string text) => new(Text: text);
    public static ScriptStep Call(string tool, JsonObject input) => new(Tool: tool, Input: input);
}

/// <summary>A request the stand-in answered: which script, which step, and the ids and usage it sent back.</summary>
public sealed record AnsweredRequest(string Script, int Step, string MessageId, string RequestId, string? ToolUseId, string Model,
    long InputTokens, long OutputTokens, long CacheWriteTokens, long CacheReadTokens);

/// <summary>
/// A loopback stand-in for the Anthropic Messages API (<c>POST /v1/messages</c>, streamed SSE). A request is routed to
/// a script by its first user message (the main agent and its sub-agents interleave); the step is the number of
/// assistant turns already in the request, so the stand-in holds no conversation state. Each answer carries fixed
/// usage figures so the test can price it by hand.
/// </summary>
public sealed class MessagesStandIn : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, string> _route;
    private readonly Dictionary<string, ScriptStep[]> _scripts;
    private readonly Task _loop;
    private int _counter;

    public MessagesStandIn(Dictionary<string, ScriptStep[]> scripts, Func<string, string> route)
    {
        _scripts = scripts;
        _route = route;
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try { _listener.Start(); break; }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public ConcurrentQueue<AnsweredRequest> Answered { get; } = new();
    public ConcurrentQueue<string> Unexpected { get; } = new();

    /// <summary>Called before a step is answered (script, step); lets the test order the interleaving.</summary>
    public Func<MessagesStandIn, string, int, Task>? BeforeAnswer { get; init; }

    /// <summary>Completes when a script's step has been answered.</summary>
    public TaskCompletionSource Signal(string script, int step) => _signals.GetOrAdd((script, step), _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    private readonly ConcurrentDictionary<(string, int), TaskCompletionSource> _signals = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        try
        {
            string path = ctx.Request.Url!.AbsolutePath;
            string body;
            using (var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            if (ctx.Request.HttpMethod != "POST" || !path.EndsWith("/v1/messages", StringComparison.Ordinal))
            {
                if (path.EndsWith("/count_tokens", StringComparison.Ordinal))
                {
                    await WriteAsync(ctx, 200, "application/json", """{"input_tokens":10}""");
                    return;
                }
                Unexpected.Enqueue(ctx.Request.HttpMethod + " " + path);
                await WriteAsync(ctx, 404, "application/json", """{"type":"error","error":{"type":"not_found_error","message":"stand-in"}}""");
                return;
            }
            JsonObject request = JsonNode.Parse(body)!.AsObject();
            JsonArray messages = request["messages"]!.AsArray();
            string script = _route(FirstText(messages));
            int step = messages.Count(m => (string?)m!["role"] == "assistant");
            if (!_scripts.TryGetValue(script, out ScriptStep[]? steps) || request["tools"] is null)
            {
                script = "aux";
                steps = [ScriptStep.Say("ok")];
            }
            ScriptStep answer = steps[Math.Min(step, steps.Length - 1)];
            if (BeforeAnswer is not null) await BeforeAnswer(this, script, step);
            int n = Interlocked.Increment(ref _counter);
            string model = (string?)request["model"] ?? "claude-sonnet-4-5-20250929";
            string messageId = $"msg_{script}_{n:000}";
            string requestId = $"req_standin_{n:000}";
            string? toolUseId = answer.Tool is null ? null : $"toolu_{script}_{n:000}";
            // Fixed, distinct figures: input 100+n, output 20+n, 40 written to the 5-minute cache, 200 read from it.
            var sent = new AnsweredRequest(script, step, messageId, requestId, toolUseId, model, 100 + n, 20 + n, 40, 200);
            await WriteAsync(ctx, 200, "text/event-stream", Sse(sent, answer), requestId);
            Answered.Enqueue(sent);
            Signal(script, step).TrySetResult();
        }
        catch (Exception ex)
        {
            Unexpected.Enqueue("stand-in failure: " + ex.Message);
            try { ctx.Response.Abort(); } catch (ObjectDisposedException) { }
        }
    }

    private static string FirstText(JsonArray messages)
    {
        JsonNode? content = messages.Count > 0 ? messages[0]!["content"] : null;
        if (content is JsonValue v) return (string?)v ?? "";
        if (content is not JsonArray blocks) return "";
        return string.Join("\n", blocks.Select(b => (string?)b!["type"] == "text" ? (string?)b["text"] ?? "" : ""));
    }

    private static string Sse(AnsweredRequest r, ScriptStep answer)
    {
        var sb = new StringBuilder();
        void Event(string name, JsonObject data) => sb.Append("event: ").Append(name).Append("\ndata: ").Append(data.ToJsonString()).Append("\n\n");
        Event("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = r.MessageId, ["type"] = "message", ["role"] = "assistant", ["model"] = r.Model, ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null,
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = r.InputTokens, ["output_tokens"] = 1,
                    ["cache_creation_input_tokens"] = r.CacheWriteTokens, ["cache_read_input_tokens"] = r.CacheReadTokens,
                },
            },
        });
        if (answer.Tool is null)
        {
            Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
            Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = answer.Text } });
        }
        else
        {
            Event("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start", ["index"] = 0,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = r.ToolUseId, ["name"] = answer.Tool, ["input"] = new JsonObject() },
            });
            Event("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta", ["index"] = 0,
                ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = answer.Input!.ToJsonString() },
            });
        }
        Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = answer.Tool is null ? "end_turn" : "tool_use", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = r.OutputTokens },
        });
        Event("message_stop", new JsonObject { ["type"] = "message_stop" });
        return sb.ToString();
    }

    private static async Task WriteAsync(HttpListenerContext ctx, int status, string contentType, string body, string? requestId = null)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        if (requestId is not null) ctx.Response.Headers["request-id"] = requestId;
        ctx.Response.ContentLength64 = bytes.Length;
        await ctx.Response.OutputStream.WriteAsync(bytes);
        ctx.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop() then Close() unregisters the prefix twice, and the second time the managed listener binds
        // the port again, which fails ("Address already in use") when another test has just taken that port.
        try { _listener.Close(); } catch (HttpListenerException) { }
        try { await _loop; } catch (ObjectDisposedException) { }
    }
}
