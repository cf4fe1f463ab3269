using System.Text;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Spans;

namespace AgentStrace.Langfuse;

/// <summary>The Langfuse attributes of one child span: a generation (LLM call) or a tool observation.</summary>
public static class LangfuseObservation
{
    public static void Generation(Span span, TraceEvent? request, TraceEvent? response, bool noContent, Analysis.Pricing.PricingTable? pricing)
    {
        var a = span.Attributes;
        a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationType, "generation"));
        string model = First(response?.Data.GetString("model"u8), request?.Data.GetString("model"u8));
        if (model.Length > 0) a.Add(SpanAttribute.Of(LangfuseAttributes.ModelName, model));
        if (request is not null && LangfuseJson.ModelParameters(request.Data) is { } parameters) a.Add(SpanAttribute.Of(LangfuseAttributes.ModelParameters, parameters));
        if (response is not null)
        {
            LlmUsage usage = LlmUsage.From(request?.Data, response.Data);
            if (usage.HasInput || usage.HasOutput)
            {
                a.Add(SpanAttribute.Of(LangfuseAttributes.UsageDetails, LangfuseJson.UsageDetails(usage)));
                if (pricing is not null && model.Length > 0 && pricing.TryFind(model, out var price, out _))
                {
                    a.Add(SpanAttribute.Of(LangfuseAttributes.CostDetails, LangfuseJson.CostDetails(usage, price)));
                }
            }
        }
        if (noContent) return;
        if (request is not null && Content(request.Data, "prompt"u8, "messages"u8) is { } input) a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationInput, input));
        if (response is not null && Content(response.Data, "text"u8, "content_preview"u8) is { } output) a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationOutput, output));
    }

    public static void Tool(Span span, TraceEvent? call, TraceEvent? closer, bool noContent)
    {
        var a = span.Attributes;
        a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationType, "tool"));
        if (noContent) return;
        if (call is not null && Content(call.Data, "arguments"u8, default) is { } input) a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationInput, input));
        if (closer?.Type == EventType.ToolResult && Content(closer.Data, "result"u8, "content_preview"u8) is { } output)
        {
            a.Add(SpanAttribute.Of(LangfuseAttributes.ObservationOutput, output));
        }
    }

    /// <summary>Text as is, anything else as its JSON; null when absent or empty.</summary>
    private static string? Content(RawJsonObject data, ReadOnlySpan<byte> key, ReadOnlySpan<byte> fallbackKey)
    {
        if (!data.TryGet(key, out RawJsonValue v) || !v.IsTruthy)
        {
            if (fallbackKey.IsEmpty || !data.TryGet(fallbackKey, out v) || !v.IsTruthy) return null;
        }
        return Cut(v.IsString ? v.GetString() : Encoding.UTF8.GetString(v.ToJsonBytes()));
    }

    /// <summary>Cuts text longer than <see cref="LangfuseSpanEnricher.MaxContentChars"/>, saying so.</summary>
    public static string? Cut(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length <= LangfuseSpanEnricher.MaxContentChars) return text;
        int n = LangfuseSpanEnricher.MaxContentChars;
        if (char.IsHighSurrogate(text[n - 1])) n--;
        return string.Concat(text.AsSpan(0, n), $"… [cut by agent-strace: {text.Length - n} more characters]");
    }

    private static string First(string? a, string? b) => a is { Length: > 0 } ? a : b ?? "";
}
