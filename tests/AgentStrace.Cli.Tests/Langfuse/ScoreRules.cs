using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentStrace.Cli.Tests.Langfuse;

/// <summary>
/// Langfuse's <c>PostScoresBody</c> (public scores API) as rules: id, name (non-empty), exactly one of traceId /
/// sessionId / datasetRunId, observationId only with traceId, a value whose JSON type matches dataType (NUMERIC a
/// finite number, BOOLEAN 0 or 1, CATEGORICAL a string), comment a string or null, metadata any JSON, environment in
/// Langfuse's form. Keys outside the schema are reported (Langfuse would drop them silently).
/// </summary>
public static partial class ScoreRules
{
    private static readonly HashSet<string> s_known =
        ["id", "name", "traceId", "sessionId", "datasetRunId", "observationId", "value", "dataType", "comment", "metadata", "environment", "configId", "queueId"];

    public static string? Check(JsonElement score)
    {
        if (score.ValueKind != JsonValueKind.Object) return "body is not an object";
        foreach (JsonProperty p in score.EnumerateObject())
        {
            if (!s_known.Contains(p.Name)) return $"unknown key '{p.Name}'";
        }
        if (Str(score, "name") is not { Length: > 0 }) return "name must be a non-empty string";
        if (score.TryGetProperty("id", out JsonElement id) && id.ValueKind != JsonValueKind.String) return "id must be a string";
        int targets = new[] { "traceId", "sessionId", "datasetRunId" }.Count(k => Str(score, k) is { Length: > 0 });
        if (targets != 1) return "exactly one of traceId, sessionId, datasetRunId";
        if (score.TryGetProperty("observationId", out _) && Str(score, "traceId") is null) return "observationId needs traceId";
        if (!score.TryGetProperty("value", out JsonElement value)) return "value is required";
        string dataType = Str(score, "dataType") ?? (value.ValueKind == JsonValueKind.String ? "CATEGORICAL" : "NUMERIC");
        switch (dataType)
        {
            case "NUMERIC" when value.ValueKind != JsonValueKind.Number: return "NUMERIC value must be a number";
            case "BOOLEAN" when value.ValueKind != JsonValueKind.Number || (value.GetDouble() != 0 && value.GetDouble() != 1): return "BOOLEAN value must be 0 or 1";
            case "CATEGORICAL" when value.ValueKind != JsonValueKind.String: return "CATEGORICAL value must be a string";
            case "NUMERIC" or "BOOLEAN" or "CATEGORICAL": break;
            default: return $"unknown dataType '{dataType}'";
        }
        if (score.TryGetProperty("comment", out JsonElement c) && c.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return "comment must be a string";
        if (score.TryGetProperty("environment", out JsonElement env)
            && (env.ValueKind != JsonValueKind.String || !Environment().IsMatch(env.GetString()!))) return "environment must match ^(?!langfuse)[a-z0-9-_]+$ (max 40)";
        return null;
    }

    private static string? Str(JsonElement o, string key) => o.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex("^(?!langfuse)[a-z0-9_-]{1,40}$")]
    private static partial Regex Environment();
}
