using System.Buffers;
using System.Text.Json;

namespace AgentStrace.Json.Documents;

/// <summary>
/// Writes the fixed-shape JSON documents of this folder (state files, small records, the <c>--format json</c> outputs)
/// and words their read errors. Each document is a <c>[JsonDocument]</c> partial class whose writer and reader are
/// generated at build time (no reflection, no System.Text.Json serializer). The streaming paths (events.ndjson,
/// OTLP/JSON, the Python-compatible writer) keep Utf8JsonReader/Writer by hand.
/// </summary>
public static class DocumentJson
{
    /// <summary>Writes a document as indented (or compact) JSON, no final newline.</summary>
    public static void Write(IBufferWriter<byte> output, IJsonDocument value, bool indented = true)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = indented });
        value.Write(w);
    }

    /// <summary>Writes a JSON array of documents, no final newline.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<IJsonDocument> values, bool indented = true)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = indented });
        w.WriteStartArray();
        foreach (IJsonDocument value in values) value.Write(w);
        w.WriteEndArray();
    }

    public static byte[] ToBytes(IJsonDocument value, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, value, indented);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A short reason for an error message: the first sentence and where in the document, e.g.
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
