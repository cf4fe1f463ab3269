using System.Text.Json;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Spans;

namespace AgentStrace.Report;

/// <summary>Writes one trace's spans as the page reads them: ids, tree depth, times relative to the trace, type, cost, attributes.</summary>
internal static class ReportJson
{
    public static void WriteSession(Utf8JsonWriter w, ReportTrace trace, ReportKeys keys, PricingTable prices)
    {
        ulong t0 = trace.Start;
        bool unpriced = false;
        w.WriteStartObject();
        w.WriteString("id", trace.Session.Id);
        w.WriteString("agent", trace.Session.Meta.AgentName);
        w.WriteNumber("started", trace.Session.Meta.StartedAt);
        w.WriteStartArray("spans");
        foreach (ReportSpan item in trace.Spans)
        {
            Span span = item.Span;
            string type = TypeOf(span);
            w.WriteStartObject();
            w.WriteString("i", Convert.ToHexStringLower(span.SpanId));
            w.WriteString("p", span.ParentSpanId.Length == 0 ? "" : Convert.ToHexStringLower(span.ParentSpanId));
            w.WriteString("n", span.Name);
            w.WriteString("t", type);
            w.WriteNumber("dp", item.Depth);
            w.WriteNumber("s", Ms(span.StartTimeUnixNano, t0));
            w.WriteNumber("d", Ms(span.EndTimeUnixNano, span.StartTimeUnixNano));
            w.WriteNumber("st", (int)span.Status);
            if (span.StatusMessage.Length > 0) w.WriteString("m", span.StatusMessage);
            if (type == "llm")
            {
                if (Cost(span, prices) is double usd) w.WriteNumber("c", Math.Round(usd, 6));
                else unpriced = true;
            }
            w.WritePropertyName("a");
            WriteAttributes(w, span.Attributes, keys);
            w.WriteStartArray("e");
            foreach (SpanEvent e in span.Events)
            {
                w.WriteStartObject();
                w.WriteString("n", e.Name);
                w.WriteNumber("t", Ms(e.TimeUnixNano, t0));
                w.WritePropertyName("a");
                WriteAttributes(w, e.Attributes, keys);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (span.DroppedEventsCount > 0) w.WriteNumber("x", span.DroppedEventsCount);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteBoolean("unpriced", unpriced);
        w.WriteEndObject();
    }

    /// <summary>agent (a session), llm (a model call), tool (a tool call) or other, from <c>gen_ai.operation.name</c>.</summary>
    public static string TypeOf(Span span)
    {
        foreach (SpanAttribute a in span.Attributes)
        {
            if (a.Key != "gen_ai.operation.name") continue;
            return a.Value.String switch
            {
                "agent.session" or "invoke_agent" or "create_agent" => "agent",
                "chat" or "text_completion" or "generate_content" => "llm",
                "execute" or "execute_tool" or "tool.call" => "tool",
                _ => "other",
            };
        }
        return "other";
    }

    /// <summary>USD for a model-call span from its model and token attributes, or null when the model has no price.</summary>
    public static double? Cost(Span span, PricingTable prices)
    {
        string model = "";
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        foreach (SpanAttribute a in span.Attributes)
        {
            switch (a.Key)
            {
                case "gen_ai.request.model": model = a.Value.String; break;
                case "gen_ai.response.model" when model.Length == 0: model = a.Value.String; break;
                case "gen_ai.usage.input_tokens": input = a.Value.Int; break;
                case "gen_ai.usage.output_tokens": output = a.Value.Int; break;
                case "gen_ai.usage.cache_read.input_tokens": cacheRead = a.Value.Int; break;
                case "gen_ai.usage.cache_creation.input_tokens" or "gen_ai.usage.cache_write.input_tokens": cacheWrite = a.Value.Int; break;
            }
        }
        if (model.Length == 0 || !prices.TryFind(model, out ModelPrice price, out _)) return null;
        // The span's input count includes the cached tokens, which are billed at their own rates.
        return price.Cost(Math.Max(0, input - cacheRead - cacheWrite), output, cacheWrite, cacheRead);
    }

    private static void WriteAttributes(Utf8JsonWriter w, List<SpanAttribute> attributes, ReportKeys keys)
    {
        w.WriteStartArray();
        foreach (SpanAttribute a in attributes)
        {
            w.WriteNumberValue(keys[a.Key]);
            AttributeValue v = a.Value;
            switch (v.Kind)
            {
                case AttributeKind.String:
                    if (v.TryGetUtf8(out ReadOnlySpan<byte> utf8)) w.WriteStringValue(utf8);
                    else w.WriteStringValue(v.String);
                    break;
                case AttributeKind.Bool: w.WriteBooleanValue(v.Bool); break;
                case AttributeKind.Int: w.WriteNumberValue(v.Int); break;
                case AttributeKind.Double:
                    if (double.IsFinite(v.Double)) w.WriteNumberValue(v.Double);
                    else w.WriteStringValue(v.ToString());
                    break;
                default:
                    w.WriteStartArray();
                    foreach (string s in v.Array) w.WriteStringValue(s);
                    w.WriteEndArray();
                    break;
            }
        }
        w.WriteEndArray();
    }

    private static double Ms(ulong end, ulong start) => end <= start ? 0 : Math.Round((end - start) / 1e6, 3);
}
