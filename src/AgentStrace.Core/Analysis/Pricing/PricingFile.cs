using System.Text.Json;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;

namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// A pricing override file: <c>{"snapshot": "2026-06-01", "models": {"name": {"input": 3, "output": 15,
/// "cache_write": 3.75, "cache_write_1h": 6, "cache_read": 0.3}}}</c>, USD per million tokens, plus optional
/// long-context rates (<c>input_above_200k</c>, <c>output_above_200k</c>, ...), <c>fast_multiplier</c>,
/// <c>us_geo_multiplier</c> and <c>web_search_per_1000</c>. <c>cache_write</c> and <c>cache_read</c> default to the
/// input price (no discount assumed), <c>cache_write_1h</c> to <c>cache_write</c>. Read through the generated
/// <see cref="PricingDocument"/>: an unknown or repeated key is an error naming it; the rules between rates are here.
/// </summary>
public sealed class PricingFile
{
    public string? Snapshot { get; private init; }
    public List<KeyValuePair<string, ModelPrice>> Models { get; } = [];

    public static PricingFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = SafeFile.ReadAllBytes(path, 16 << 20);
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
        PricingDocument document;
        try
        {
            document = PricingDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            // The outer shape keeps the words it always had; deeper problems say where.
            bool wrongType = ex.Message.Contains("could not be converted", StringComparison.Ordinal);
            throw new FormatException(ex.Path switch
            {
                null or "$" when wrongType => "the top level is not an object.",
                null or "$" when ex.Message.Contains("'models'", StringComparison.Ordinal) => "no \"models\" object.",
                "$.models" when wrongType => "\"models\" is not an object.",
                _ => DocumentJson.Plain(ex) + ".",
            });
        }
        var file = new PricingFile { Snapshot = document.Snapshot };
        foreach (var (model, price) in document.Models) file.Models.Add(new(model, Price(model, price)));
        return file;
    }

    private static ModelPrice Price(string model, PriceDocument p)
    {
        double input = Rate(model, "input", p.Input) ?? throw Needs(model);
        double output = Rate(model, "output", p.Output) ?? throw Needs(model);
        double write = Rate(model, "cache_write", p.CacheWrite) ?? input, read = Rate(model, "cache_read", p.CacheRead) ?? input;
        double? write1h = Rate(model, "cache_write_1h", p.CacheWrite1h);
        LongContextPrice? longContext = null;
        if (Rate(model, "input_above_200k", p.InputAbove200k) is double lin)
        {
            double lout = Rate(model, "output_above_200k", p.OutputAbove200k) ?? throw new FormatException($"'{model}' has input_above_200k but no output_above_200k.");
            // Unnamed long-context cache rates keep the model's own cache/input ratios.
            double ratio = input > 0 ? lin / input : 1;
            longContext = new LongContextPrice(lin, lout, Rate(model, "cache_write_above_200k", p.CacheWriteAbove200k) ?? write * ratio,
                Rate(model, "cache_write_1h_above_200k", p.CacheWrite1hAbove200k) ?? (write1h ?? write) * ratio,
                Rate(model, "cache_read_above_200k", p.CacheReadAbove200k) ?? read * ratio);
        }
        return new ModelPrice(input, output, write, read)
        {
            CacheWrite1h = write1h,
            LongContext = longContext,
            LongContextThreshold = Rate(model, "long_context_threshold", p.LongContextThreshold) is double t ? (long)t : 200_000,
            FastMultiplier = Rate(model, "fast_multiplier", p.FastMultiplier) ?? 1,
            UsGeoMultiplier = Rate(model, "us_geo_multiplier", p.UsGeoMultiplier) ?? 1,
            WebSearchPerRequest = (Rate(model, "web_search_per_1000", p.WebSearchPer1000) ?? 0) / 1000,
        };
    }

    private static FormatException Needs(string model) => new($"'{model}' needs both \"input\" and \"output\".");

    // A rate as given (null when absent), which must be a finite number >= 0.
    private static double? Rate(string model, string name, double? value) => value is null or (>= 0 and < double.PositiveInfinity)
        ? value
        : throw new FormatException($"'{model}'.{name} must be a number >= 0 ({(name.EndsWith("multiplier", StringComparison.Ordinal) ? "a factor" : name == "long_context_threshold" ? "input tokens" : name == "web_search_per_1000" ? "USD per 1,000 searches" : "USD per million tokens")}).");
}
