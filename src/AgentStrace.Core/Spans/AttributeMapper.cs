using AgentStrace.Json;

namespace AgentStrace.Spans;

/// <summary>Upstream's <c>_make_attributes</c> and value rules.</summary>
public static class AttributeMapper
{
    /// <summary>bool → boolValue, int → intValue, float → doubleValue, str → stringValue, dict/list → json.dumps text, None → "None".</summary>
    public static AttributeValue FromJson(RawJsonValue v)
    {
        if (v.IsBool) return AttributeValue.Of(v.Kind == System.Text.Json.JsonTokenType.True);
        if (v.IsString) return AttributeValue.Of(v.GetString());
        if (v.IsInteger)
        {
            if (v.TryGetInt64(out long l)) return AttributeValue.Of(l);
            // Python ints are unbounded; OTLP ints are not. Keep the exact digits as a string.
            return AttributeValue.Of(System.Text.Encoding.ASCII.GetString(v.Raw.Span).TrimStart('+'));
        }
        if (v.IsNumber && v.TryGetDouble(out double d)) return AttributeValue.Of(d);
        if (v.IsObject || v.IsArray) return AttributeValue.Of(v.ToPythonJson(PyJsonStyle.Default));
        return AttributeValue.Of("None");
    }

    /// <summary><c>str(v)[:n]</c>: strings as is, everything else as its Python repr.</summary>
    public static string PyStr(RawJsonValue v, int max) => PyText.Head(v.ToPythonStr(), max);

    /// <summary><see cref="PyStr"/> as an attribute value; string values stay UTF-8 (no UTF-16 round trip).</summary>
    public static AttributeValue PyStrValue(RawJsonValue v, int max) =>
        v.TryGetUtf8Head(max, out ArraySegment<byte> utf8) ? AttributeValue.OfUtf8(utf8) : AttributeValue.Of(PyStr(v, max));

    /// <summary>gen_ai.system from the agent name (upstream heuristic).</summary>
    public static string SystemFromAgent(string agentName)
    {
        string a = agentName.ToLowerInvariant();
        if (a.Contains("claude") || a.Contains("anthropic")) return "anthropic";
        if (a.Contains("gpt") || a.Contains("openai") || a.Contains("codex")) return "openai";
        if (a.Contains("gemini") || a.Contains("google")) return "google";
        return "unknown";
    }

    /// <summary>gen_ai.system from a model name, else the agent-derived value.</summary>
    public static string SystemFromModel(string model, string fallback)
    {
        string m = model.ToLowerInvariant();
        if (m.Contains("claude")) return "anthropic";
        if (m.Contains("gpt") || m.Contains("o1") || m.Contains("o3")) return "openai";
        if (m.Contains("gemini")) return "google";
        return fallback;
    }

    /// <summary>The current <c>gen_ai.provider.name</c> well-known value for a <c>gen_ai.system</c> value, or "" when unknown.</summary>
    public static string ProviderName(string system) => system switch
    {
        "anthropic" => "anthropic",
        "openai" => "openai",
        "google" => "gcp.gemini",
        _ => "",
    };
}
