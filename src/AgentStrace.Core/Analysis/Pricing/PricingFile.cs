using System.Text.Json;
using AgentStrace.Errors;

namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// A pricing override file: <c>{"snapshot": "2026-06-01", "models": {"name": {"input": 3, "output": 15,
/// "cache_write": 3.75, "cache_write_1h": 6, "cache_read": 0.3}}}</c>, USD per million tokens, plus optional
/// long-context rates (<c>input_above_200k</c>, <c>output_above_200k</c>, ...), <c>fast_multiplier</c>,
/// <c>us_geo_multiplier</c> and <c>web_search_per_1000</c> (docs/pricing.md). <c>cache_write</c> and <c>cache_read</c>
/// default to the input price (no discount assumed), <c>cache_write_1h</c> to <c>cache_write</c>.
/// </summary>
public sealed class PricingFile
{
    public string? Snapshot { get; private set; }
    public List<KeyValuePair<string, ModelPrice>> Models { get; } = [];

    public static PricingFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Cannot read pricing file {path}: {ex.Message}");
        }
        try
        {
            return Parse(bytes);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new AgentStraceException($"Invalid pricing file {path}: {ex.Message} Expected {{\"models\": {{\"<model>\": {{\"input\": 3, \"output\": 15}}}}}}.");
        }
    }

    public static PricingFile Parse(ReadOnlySpan<byte> json)
    {
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        var file = new PricingFile();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "the top level is not an object.");
        bool sawModels = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("snapshot"u8))
            {
                reader.Read();
                file.Snapshot = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("models"u8))
            {
                reader.Read();
                Expect(reader.TokenType == JsonTokenType.StartObject, "\"models\" is not an object.");
                sawModels = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string model = reader.GetString()!;
                    reader.Read();
                    file.Models.Add(new(model, ReadPrice(ref reader, model)));
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        Expect(sawModels, "no \"models\" object.");
        return file;
    }

    private static ModelPrice ReadPrice(ref Utf8JsonReader reader, string model)
    {
        Expect(reader.TokenType == JsonTokenType.StartObject, $"the price of '{model}' is not an object.");
        var v = new Dictionary<string, double>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (Array.IndexOf(Fields, name) < 0)
            {
                reader.Skip();
                continue;
            }
            Expect(reader.TokenType == JsonTokenType.Number && reader.GetDouble() is >= 0 and < double.PositiveInfinity,
                $"'{model}'.{name} must be a number >= 0 ({(name.EndsWith("multiplier", StringComparison.Ordinal) ? "a factor" : name == "long_context_threshold" ? "input tokens" : name == "web_search_per_1000" ? "USD per 1,000 searches" : "USD per million tokens")}).");
            v[name] = reader.GetDouble();
        }
        Expect(v.ContainsKey("input") && v.ContainsKey("output"), $"'{model}' needs both \"input\" and \"output\".");
        double input = v["input"], write = v.GetValueOrDefault("cache_write", input), read = v.GetValueOrDefault("cache_read", input);
        LongContextPrice? longContext = null;
        if (v.TryGetValue("input_above_200k", out double lin))
        {
            Expect(v.ContainsKey("output_above_200k"), $"'{model}' has input_above_200k but no output_above_200k.");
            // Unnamed long-context cache rates keep the model's own cache/input ratios.
            double ratio = input > 0 ? lin / input : 1;
            longContext = new LongContextPrice(lin, v["output_above_200k"], v.GetValueOrDefault("cache_write_above_200k", write * ratio),
                v.GetValueOrDefault("cache_write_1h_above_200k", v.GetValueOrDefault("cache_write_1h", write) * ratio),
                v.GetValueOrDefault("cache_read_above_200k", read * ratio));
        }
        return new ModelPrice(input, v["output"], write, read)
        {
            CacheWrite1h = v.TryGetValue("cache_write_1h", out double w1) ? w1 : null,
            LongContext = longContext,
            LongContextThreshold = v.TryGetValue("long_context_threshold", out double t) ? (long)t : 200_000,
            FastMultiplier = v.GetValueOrDefault("fast_multiplier", 1),
            UsGeoMultiplier = v.GetValueOrDefault("us_geo_multiplier", 1),
            WebSearchPerRequest = v.GetValueOrDefault("web_search_per_1000", 0) / 1000,
        };
    }

    /// <summary>The keys a model's price may have; others are ignored (room for newer files).</summary>
    public static readonly string[] Fields =
    [
        "input", "output", "cache_write", "cache_write_1h", "cache_read",
        "input_above_200k", "output_above_200k", "cache_write_above_200k", "cache_write_1h_above_200k", "cache_read_above_200k",
        "long_context_threshold", "fast_multiplier", "us_geo_multiplier", "web_search_per_1000",
    ];

    private static void Expect(bool condition, string message)
    {
        if (!condition) throw new FormatException(message);
    }
}
