using System.Text.Json;
using AgentStrace.Errors;
using AgentStrace.FileSystem;

namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// A pricing override file: <c>{"snapshot": "2026-06-01", "models": {"name": {"input": 3, "output": 15,
/// "cache_write": 3.75, "cache_read": 0.3}}}</c>, USD per million tokens. <c>cache_write</c> and <c>cache_read</c>
/// default to the input price (no discount assumed).
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
        double? input = null, output = null, write = null, read = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref double? slot = ref input;
            if (reader.ValueTextEquals("input"u8)) slot = ref input;
            else if (reader.ValueTextEquals("output"u8)) slot = ref output;
            else if (reader.ValueTextEquals("cache_write"u8)) slot = ref write;
            else if (reader.ValueTextEquals("cache_read"u8)) slot = ref read;
            else
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            string name = reader.GetString()!;
            reader.Read();
            Expect(reader.TokenType == JsonTokenType.Number && reader.GetDouble() is >= 0 and < double.PositiveInfinity,
                $"'{model}'.{name} must be a number >= 0 (USD per million tokens).");
            slot = reader.GetDouble();
        }
        Expect(input is not null && output is not null, $"'{model}' needs both \"input\" and \"output\".");
        return new ModelPrice(input!.Value, output!.Value, write ?? input.Value, read ?? input.Value);
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition) throw new FormatException(message);
    }
}
