using System.Buffers;
using System.Text;
using System.Text.Json;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Langfuse;

/// <summary>The small JSON documents Langfuse takes inside span attributes.</summary>
public static class LangfuseJson
{
    /// <summary>
    /// <c>usage_details</c> in Langfuse's usage keys (the keys its model prices use): <c>input</c> without cache,
    /// <c>input_cache_read</c>, <c>input_cache_creation</c>, <c>output</c> and their <c>total</c>.
    /// </summary>
    public static string UsageDetails(LlmUsage usage) => Write(w =>
    {
        long total = 0;
        if (usage.HasInput)
        {
            w.WriteNumber("input", usage.UncachedInputTokens);
            total += usage.InputTokens;
        }
        if (usage.CacheReadTokens > 0) w.WriteNumber("input_cache_read", usage.CacheReadTokens);
        if (usage.CacheCreationTokens > 0) w.WriteNumber("input_cache_creation", usage.CacheCreationTokens);
        if (usage.HasOutput)
        {
            w.WriteNumber("output", usage.OutputTokens);
            total += usage.OutputTokens;
        }
        w.WriteNumber("total", total);
    });

    /// <summary>
    /// <c>cost_details</c> in USD with the same keys as <see cref="UsageDetails"/>, from the model's price (pricing table:
    /// built-in, <c>&lt;store&gt;/pricing.json</c>). Langfuse shows these instead of its own price lookup.
    /// </summary>
    public static string CostDetails(LlmUsage usage, Analysis.Pricing.ModelPrice price) => Write(w =>
    {
        double input = usage.UncachedInputTokens * price.Input / 1e6;
        double read = usage.CacheReadTokens * price.CacheRead / 1e6;
        double write = usage.CacheCreationTokens * price.CacheWrite / 1e6;
        double output = usage.OutputTokens * price.Output / 1e6;
        if (usage.HasInput) w.WriteNumber("input", input);
        if (usage.CacheReadTokens > 0) w.WriteNumber("input_cache_read", read);
        if (usage.CacheCreationTokens > 0) w.WriteNumber("input_cache_creation", write);
        if (usage.HasOutput) w.WriteNumber("output", output);
        w.WriteNumber("total", input + read + write + output);
    });

    /// <summary>Request parameters worth showing next to the model (<c>max_tokens</c>, <c>temperature</c>), or null.</summary>
    public static string? ModelParameters(RawJsonObject request)
    {
        long? maxTokens = request.GetInt64("max_tokens"u8) is long m && m > 0 ? m : null;
        double? temperature = request.GetDouble("temperature"u8);
        if (maxTokens is null && temperature is null) return null;
        return Write(w =>
        {
            if (maxTokens is long mt) w.WriteNumber("max_tokens", mt);
            if (temperature is double t) w.WriteNumber("temperature", t);
        });
    }

    /// <summary>Upstream's Langfuse trace metadata plus the ids that tie the trace back to the store.</summary>
    public static string SessionMetadata(SessionMeta meta) => Write(w =>
    {
        w.WriteString("agent_strace_session_id", meta.SessionId);
        w.WriteString("agent_name", meta.AgentName);
        w.WriteString("command", meta.Command);
        w.WriteNumber("tool_calls", meta.ToolCalls);
        w.WriteNumber("llm_requests", meta.LlmRequests);
        w.WriteNumber("errors", meta.Errors);
        w.WriteNumber("total_tokens", meta.TotalTokens);
        if (meta.ParentSessionId.Length > 0) w.WriteString("parent_session_id", meta.ParentSessionId);
        if (meta.Depth > 0) w.WriteNumber("depth", meta.Depth);
        if (meta.Attribution is { IsObject: true } attribution)
        {
            RawJsonObject a = attribution.AsObject();
            foreach (string key in (string[])["git_repo", "git_branch", "git_commit", "hostname"])
            {
                if (a.GetString(Encoding.UTF8.GetBytes(key)) is { Length: > 0 } value) w.WriteString(key, value);
            }
        }
    });

    public static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
