using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AgentStrace.Json.Documents;

/// <summary>
/// The one source-generated System.Text.Json context: every JSON document of a fixed shape the tool reads or writes
/// (state files, small records, the <c>--format json</c> outputs) is declared in this folder and (de)serialized here,
/// without reflection. Names are snake_case unless a property says otherwise; a null property is left out unless it
/// says otherwise. The streaming paths (events.ndjson, OTLP/JSON, the Python-compatible writer) keep Utf8JsonReader/Writer.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
// Documents that are read take metadata (which also writes them); output-only documents take the smaller
// serialize-only code. Both cost binary size per type (see docs/design-decisions.md), hence not "Default" (both).
[JsonSerializable(typeof(CheckpointDocument), GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ShipStateDocument), GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(OutboxDocument), GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(WatchStatusDocument), GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(PostmortemDocument), GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ScoreBatchDocument), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(List<SessionListDocument>), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(StatsDocument), GenerationMode = JsonSourceGenerationMode.Serialization)]
public sealed partial class DocumentJson : JsonSerializerContext
{
    /// <summary>Reads a document; a JSON null is not one.</summary>
    /// <exception cref="JsonException">Malformed JSON, a value of the wrong type, or a required property missing.</exception>
    public static T Read<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(utf8, type) ?? throw new JsonException("the document is null");

    /// <summary>Writes a document as indented JSON (no final newline).</summary>
    public static void Write<T>(IBufferWriter<byte> output, T value, JsonTypeInfo<T> type, bool indented = true)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = indented });
        JsonSerializer.Serialize(w, value, type);
    }

    /// <summary>Writes into a writer the caller set up (its indentation and escaping hold).</summary>
    public static void Write<T>(Utf8JsonWriter w, T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(w, value, type);

    public static byte[] ToBytes<T>(T value, JsonTypeInfo<T> type, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, value, type, indented);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A short reason for an error message: the serializer's first sentence and where in the document, e.g.
    /// <c>The JSON value could not be converted to System.Int64 at $.offset</c>.
    /// </summary>
    public static string Describe(JsonException ex)
    {
        string message = ex.Message.ReplaceLineEndings(" ");
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        message = message.TrimEnd(' ', '.', '|');
        return ex.Path is { Length: > 1 } path ? message + " at " + path : message;
    }
}
