using AgentStrace.Json;

namespace AgentStrace.Capture.Import;

/// <summary>Groups assistant lines into API requests: input and cache counts once, the largest output snapshot.</summary>
public static class LlmCalls
{
    public static Dictionary<string, LlmCall> Group(List<TranscriptEntry> entries)
    {
        var calls = new Dictionary<string, LlmCall>(StringComparer.Ordinal);
        double previousTime = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            TranscriptEntry e = entries[i];
            if (Counts(e))
            {
                string key = e.MessageId + "\n" + e.RequestId;
                if (!calls.TryGetValue(key, out LlmCall? call)) calls[key] = call = Start(e, i, previousTime);
                Add(call, e, i);
            }
            if (e.Timestamp > 0) previousTime = e.Timestamp;
        }
        return calls;
    }

    /// <summary>Whether the line belongs to a billed request: an assistant line with usage, a message id and a real model.</summary>
    public static bool Counts(TranscriptEntry e) =>
        e.Type == "assistant" && !e.IsApiErrorMessage && e.Message.TryGet("usage"u8, out RawJsonValue usage) && usage.IsObject
        && e.MessageId.Length > 0 && e.Model != "<synthetic>";

    /// <summary>A request whose first line is <paramref name="e"/>; it starts when the line before it was written.</summary>
    public static LlmCall Start(TranscriptEntry e, int index, double previousTime) =>
        new() { MessageId = e.MessageId, RequestId = e.RequestId, FirstIndex = index, StartTime = previousTime > 0 ? previousTime : e.Timestamp };

    /// <summary>Adds one more line of the request.</summary>
    public static void Add(LlmCall call, TranscriptEntry e, int index)
    {
        call.LastIndex = index;
        call.EndTime = e.Timestamp;
        if (e.Model.Length > 0) call.Model = e.Model;
        string stop = e.Message.GetString("stop_reason"u8);
        if (stop.Length > 0) call.StopReason = stop;
        Merge(call, e.Message.GetObject("usage"u8)); // keeps the message's index of the usage properties
    }

    private static void Merge(LlmCall call, RawJsonObject usage)
    {
        long input = usage.GetInt64("input_tokens"u8) ?? 0;
        long output = usage.GetInt64("output_tokens"u8) ?? 0;
        long creation = usage.GetInt64("cache_creation_input_tokens"u8) ?? 0;
        long read = usage.GetInt64("cache_read_input_tokens"u8) ?? 0;
        // Input and cache counts repeat on every line; output is a streaming snapshot: keep the largest.
        call.InputTokens = Math.Max(call.InputTokens, input);
        call.CacheCreationTokens = Math.Max(call.CacheCreationTokens, creation);
        call.CacheReadTokens = Math.Max(call.CacheReadTokens, read);
        call.OutputTokens = Math.Max(call.OutputTokens, output);
        RawJsonObject split = usage.GetObject("cache_creation"u8);
        if (split.TryGet("ephemeral_5m_input_tokens"u8, out _) || split.TryGet("ephemeral_1h_input_tokens"u8, out _))
        {
            call.HasCacheSplit = true;
            call.Cache5m = Math.Max(call.Cache5m, split.GetInt64("ephemeral_5m_input_tokens"u8) ?? 0);
            call.Cache1h = Math.Max(call.Cache1h, split.GetInt64("ephemeral_1h_input_tokens"u8) ?? 0);
        }
        string tier = usage.GetString("service_tier"u8);
        if (tier.Length > 0) call.ServiceTier = tier;
        string speed = usage.GetString("speed"u8);
        if (speed.Length > 0) call.Speed = speed;
        string geo = usage.GetString("inference_geo"u8);
        if (geo.Length > 0) call.InferenceGeo = geo;
        if (usage.TryGet("server_tool_use"u8, out RawJsonValue server) && server.IsObject)
        {
            RawJsonObject s = server.AsObject();
            call.HasServerToolUse = true;
            call.WebSearchRequests = Math.Max(call.WebSearchRequests, s.GetInt64("web_search_requests"u8) ?? 0);
            call.WebFetchRequests = Math.Max(call.WebFetchRequests, s.GetInt64("web_fetch_requests"u8) ?? 0);
        }
    }
}
