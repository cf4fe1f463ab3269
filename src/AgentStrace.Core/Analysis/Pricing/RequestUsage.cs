using AgentStrace.Json;

namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// What one model request is billed on. <see cref="Input"/> excludes cache reads and writes; cache writes are split
/// into 5-minute and 1-hour (a write without the split counts as 5-minute, the API default).
/// </summary>
public readonly struct RequestUsage(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead)
{
    public long Input { get; } = input;
    public long Output { get; } = output;
    public long CacheWrite5m { get; } = cacheWrite5m;
    public long CacheWrite1h { get; } = cacheWrite1h;
    public long CacheRead { get; } = cacheRead;

    public long WebSearchRequests { get; init; }
    public string Speed { get; init; } = "";
    public string InferenceGeo { get; init; } = "";
    public string ServiceTier { get; init; } = "";

    public long CacheWrite => CacheWrite5m + CacheWrite1h;

    /// <summary>
    /// From an Anthropic-shaped <c>usage</c> object (<c>input_tokens</c>, <c>cache_creation{ephemeral_5m_input_tokens,
    /// ephemeral_1h_input_tokens}</c>, <c>server_tool_use.web_search_requests</c>, <c>speed</c>, <c>inference_geo</c>,
    /// <c>service_tier</c>) with the token counts given (they win over the object's own).
    /// </summary>
    public static RequestUsage From(RawJsonObject usage, long uncachedInput, long output, long cacheWrite, long cacheRead)
    {
        RawJsonObject split = usage.GetObject("cache_creation"u8);
        long w5 = cacheWrite, w1 = 0;
        if (split.GetInt64("ephemeral_1h_input_tokens"u8) is long oneHour)
        {
            w1 = Math.Clamp(oneHour, 0, cacheWrite);
            w5 = cacheWrite - w1;
        }
        else if (split.GetInt64("ephemeral_5m_input_tokens"u8) is long fiveMin && fiveMin < cacheWrite)
        {
            // Only the 5-minute count given: the rest of the writes were 1-hour.
            w5 = Math.Max(0, fiveMin);
            w1 = cacheWrite - w5;
        }
        return new RequestUsage(uncachedInput, output, w5, w1, cacheRead)
        {
            WebSearchRequests = Math.Max(0, usage.GetObject("server_tool_use"u8).GetInt64("web_search_requests"u8) ?? 0),
            Speed = usage.GetString("speed"u8),
            InferenceGeo = usage.GetString("inference_geo"u8),
            ServiceTier = usage.GetString("service_tier"u8),
        };
    }
}
