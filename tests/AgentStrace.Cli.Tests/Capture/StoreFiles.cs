using System.Text.Json;

namespace AgentStrace.Cli.Tests.Capture;

/// <summary>Reads a store's files back for assertions (parsed with JsonDocument, as house style asks).</summary>
public static class StoreFiles
{
    public static List<JsonElement> Events(string sessionDir) =>
        File.ReadAllLines(Path.Combine(sessionDir, "events.ndjson")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public static JsonElement Meta(string sessionDir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(sessionDir, "meta.json"))).RootElement.Clone();

    public static string Type(this JsonElement e) => e.GetProperty("event_type").GetString()!;

    public static string Str(this JsonElement e, string key) => e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public static JsonElement Data(this JsonElement e) => e.GetProperty("data");

    /// <summary>Every line's prev_hash equals SHA-256 of the previous line (upstream's prev_hash chain).</summary>
    public static bool ChainIntact(string sessionDir)
    {
        string prev = "";
        foreach (string line in File.ReadAllLines(Path.Combine(sessionDir, "events.ndjson")).Where(l => l.Length > 0))
        {
            string expected = prev.Length == 0 ? "" : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prev)));
            if (JsonDocument.Parse(line).RootElement.Str("prev_hash") != expected) return false;
            prev = line;
        }
        return true;
    }
}
