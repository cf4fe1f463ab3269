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
    // Documents are passed as their generated Write method (doc.Write), not as IJsonDocument: dotnet format's workspace
    // does not run source generators, and an interface conversion it cannot see fails its style gate.

    /// <summary>Writes a document (<c>doc.Write</c>) as indented or compact JSON, no final newline.</summary>
    public static void Write(IBufferWriter<byte> output, Action<Utf8JsonWriter> document, bool indented = true)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = indented });
        document(w);
    }

    public static byte[] ToBytes(Action<Utf8JsonWriter> document, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, document, indented);
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

    /// <summary>
    /// As <see cref="Describe"/>, worded for a file a person edits: <c>$.models.x.input must be a number</c>,
    /// <c>$.ship needs 'to'</c>, <c>$.models.x has an unknown key "inptu" (known: …)</c>.
    /// </summary>
    public static string Plain(JsonException ex)
    {
        const string Converted = "The JSON value could not be converted to ", Missing = "was missing required properties including: ";
        string where = ex.Path is { Length: > 1 } path ? path : "the document";
        string message = ex.Message;
        if (message.StartsWith(Converted, StringComparison.Ordinal))
        {
            string type = message[Converted.Length..].TrimEnd('.');
            return where + " must be " + type switch
            {
                "System.Double" => "a number",
                "System.Int32" or "System.Int64" => "a whole number",
                "System.Boolean" => "true or false",
                "System.String" => "a string",
                _ when type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
                _ => "an object",
            };
        }
        int missing = message.IndexOf(Missing, StringComparison.Ordinal);
        if (missing >= 0) return where + " needs " + message[(missing + Missing.Length)..].TrimEnd('.');
        return message.StartsWith("has ", StringComparison.Ordinal) || message.StartsWith("holds ", StringComparison.Ordinal) ? where + " " + message : Describe(ex);
    }
}
