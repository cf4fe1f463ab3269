using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>llm_request / llm_response events for one API request, with real token counts (for cost).</summary>
public static class LlmEvents
{
    /// <param name="redactor">Applied to every string taken from the transcript (the import stores these events as built).</param>
    public static (TraceEvent Request, TraceEvent Response) Build(LlmCall call, string sessionId, Redactor? redactor = null) =>
        (Request(call, sessionId, redactor), Response(call, sessionId, redactor));

    /// <summary>The llm_request event: it needs the request's final model and input count, not only its first line's.</summary>
    public static TraceEvent Request(LlmCall call, string sessionId, Redactor? redactor = null)
    {
        Redactor r = redactor ?? Redactor.Off;
        var rq = new EventBuilder();
        rq.Data.WriteString("model", r.Text(call.Model));
        rq.Data.WriteString("message_id", r.Text(call.MessageId));
        if (call.RequestId.Length > 0) rq.Data.WriteString("request_id", r.Text(call.RequestId));
        rq.Data.WriteNumber("input_tokens", call.InputTokens);
        return rq.Build(EventType.LlmRequest, sessionId, call.StartTime, eventId: RequestEventId(call));
    }

    private static string RequestEventId(LlmCall call) => CaptureIds.Event("llm_request:" + call.Key);

    public static TraceEvent Response(LlmCall call, string sessionId, Redactor? redactor = null)
    {
        Redactor r = redactor ?? Redactor.Off;
        string model = r.Text(call.Model), messageId = r.Text(call.MessageId), requestIdText = r.Text(call.RequestId);
        string requestId = RequestEventId(call);
        var rs = new EventBuilder();
        var w = rs.Data;
        w.WriteString("model", model);
        w.WriteString("message_id", messageId);
        if (call.RequestId.Length > 0) w.WriteString("request_id", requestIdText);
        if (call.StopReason.Length > 0) w.WriteString("stop_reason", r.Text(call.StopReason));
        Tokens(w, call);
        w.WritePropertyName("usage");
        w.WriteStartObject();
        Tokens(w, call);
        if (call.HasCacheSplit)
        {
            w.WritePropertyName("cache_creation");
            w.WriteStartObject();
            w.WriteNumber("ephemeral_5m_input_tokens", call.Cache5m);
            w.WriteNumber("ephemeral_1h_input_tokens", call.Cache1h);
            w.WriteEndObject();
        }
        if (call.ServiceTier.Length > 0) w.WriteString("service_tier", r.Text(call.ServiceTier));
        if (call.Speed.Length > 0) w.WriteString("speed", r.Text(call.Speed));
        if (call.InferenceGeo.Length > 0) w.WriteString("inference_geo", r.Text(call.InferenceGeo));
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
        return rs.Build(EventType.LlmResponse, sessionId, end, parentId: requestId,
            durationMs: (end - call.StartTime) * 1000, eventId: CaptureIds.Event("llm_response:" + call.Key));
    }

    private static void Tokens(Json.PyJsonWriter w, LlmCall call)
    {
        w.WriteNumber("input_tokens", call.InputTokens);
        w.WriteNumber("output_tokens", call.OutputTokens);
        w.WriteNumber("cache_creation_input_tokens", call.CacheCreationTokens);
        w.WriteNumber("cache_read_input_tokens", call.CacheReadTokens);
    }
}
