using AgentStrace.Json;

namespace AgentStrace.Model;

/// <summary>
/// Token usage of one model call, from the recorded fields. The response's <c>usage</c> object wins over the
/// request's counters (upstream's per-provider cost breakdown). Anthropic's <c>input_tokens</c> excludes cache, so the
/// total input follows the GenAI convention: input + cache read + cache creation.
/// </summary>
public readonly record struct LlmUsage(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheCreationTokens, bool HasInput, bool HasOutput)
{
    /// <summary>Input tokens excluding cache reads and writes (what providers bill at the base input rate).</summary>
    public long UncachedInputTokens => Math.Max(0, InputTokens - CacheReadTokens - CacheCreationTokens);

    public static LlmUsage From(RawJsonObject? request, RawJsonObject response)
    {
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        bool hasIn = false, hasOut = false;
        RawJsonObject usage = response.GetObject("usage"u8);
        RawJsonObject meta = response.GetObject("usageMetadata"u8);
        if (usage.GetInt64("input_tokens"u8) is long anthropicIn)
        {
            cacheRead = usage.GetInt64("cache_read_input_tokens"u8) ?? 0;
            cacheWrite = usage.GetInt64("cache_creation_input_tokens"u8) ?? 0;
            input = anthropicIn + cacheRead + cacheWrite;
            hasIn = true;
        }
        else if (usage.GetInt64("prompt_tokens"u8) is long openAiIn)
        {
            input = openAiIn;
            cacheRead = usage.GetObject("prompt_tokens_details"u8).GetInt64("cached_tokens"u8) ?? 0;
            hasIn = true;
        }
        else if (usage.GetInt64("inputTokens"u8) is long camelIn) { input = camelIn; hasIn = true; }
        else if (meta.GetInt64("promptTokenCount"u8) is long geminiIn) { input = geminiIn; cacheRead = meta.GetInt64("cachedContentTokenCount"u8) ?? 0; hasIn = true; }
        else if (request?.GetInt64("input_tokens"u8) is long reqIn && reqIn != 0)
        {
            input = reqIn;
            cacheRead = request.Value.GetInt64("cache_read_input_tokens"u8) ?? 0;
            cacheWrite = request.Value.GetInt64("cache_creation_input_tokens"u8) ?? 0;
            input += cacheRead + cacheWrite;
            hasIn = true;
        }

        if (response.GetInt64("output_tokens"u8) is long o && o != 0) { output = o; hasOut = true; }
        else if (usage.GetInt64("output_tokens"u8) is long uo) { output = uo; hasOut = true; }
        else if (usage.GetInt64("completion_tokens"u8) is long co) { output = co; hasOut = true; }
        else if (usage.GetInt64("outputTokens"u8) is long camelOut) { output = camelOut; hasOut = true; }
        else if (meta.GetInt64("candidatesTokenCount"u8) is long go) { output = go; hasOut = true; }
        return new LlmUsage(input, output, cacheRead, cacheWrite, hasIn, hasOut);
    }
}
