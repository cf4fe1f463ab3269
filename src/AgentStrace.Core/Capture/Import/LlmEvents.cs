using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>llm_request / llm_response events for one API request, with real token counts (for cost).</summary>
public static class LlmEvents
{
    public static (TraceEvent Request, TraceEvent Response) Build(LlmCall call, string sessionId)
    {
        string requestId = CaptureIds.Event("llm_request:" + call.Key);
        var rq = new EventBuilder();
        rq.Data.WriteString("model", call.Model);
        rq.Data.WriteString("message_id", call.MessageId);
        if (call.RequestId.Length > 0) rq.Data.WriteString("request_id", call.RequestId);
        rq.Data.WriteNumber("input_tokens", call.InputTokens);
        TraceEvent request = rq.Build(EventType.LlmRequest, sessionId, call.StartTime, eventId: requestId);

        var rs = new EventBuilder();
        var w = rs.Data;
        w.WriteString("model", call.Model);
        w.WriteString("message_id", call.MessageId);
        if (call.RequestId.Length > 0) w.WriteString("request_id", call.RequestId);
        if (call.StopReason.Length > 0) w.WriteString("stop_reason", call.StopReason);
        w.WriteNumber("input_tokens", call.InputTokens);
        w.WriteNumber("output_tokens", call.OutputTokens);
        w.WriteNumber("cache_creation_input_tokens", call.CacheCreationTokens);
        w.WriteNumber("cache_read_input_tokens", call.CacheReadTokens);
        w.WritePropertyName("usage");
        w.WriteStartObject();
        w.WriteNumber("input_tokens", call.InputTokens);
        w.WriteNumber("output_tokens", call.OutputTokens);
        w.WriteNumber("cache_creation_input_tokens", call.CacheCreationTokens);
        w.WriteNumber("cache_read_input_tokens", call.CacheReadTokens);
        if (call.HasCacheSplit)
        {
            w.WritePropertyName("cache_creation");
            w.WriteStartObject();
            w.WriteNumber("ephemeral_5m_input_tokens", call.Cache5m);
            w.WriteNumber("ephemeral_1h_input_tokens", call.Cache1h);
            w.WriteEndObject();
        }
        if (call.ServiceTier.Length > 0) w.WriteString("service_tier", call.ServiceTier);
        if (call.Speed.Length > 0) w.WriteString("speed", call.Speed);
        if (call.InferenceGeo.Length > 0) w.WriteString("inference_geo", call.InferenceGeo);
        if (call.HasServerToolUse)
        {
            w.WritePropertyName("server_tool_use");
            w.WriteStartObject();
            w.WriteNumber("web_search_requests", call.WebSearchRequests);
            w.WriteNumber("web_fetch_requests", call.WebFetchRequests);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        double end = Math.Max(call.EndTime, call.StartTime);
        TraceEvent response = rs.Build(EventType.LlmResponse, sessionId, end, parentId: requestId,
            durationMs: (end - call.StartTime) * 1000, eventId: CaptureIds.Event("llm_response:" + call.Key));
        return (request, response);
    }
}
