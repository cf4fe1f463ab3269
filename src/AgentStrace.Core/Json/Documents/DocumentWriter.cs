using System.Text.Json;

namespace AgentStrace.Json.Documents;

/// <summary>What the generated document writers call for lists and maps (one shared body for every element type).</summary>
internal static class DocumentWriter
{
    public static void List<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<T> items) where T : IJsonDocument?
    {
        w.WriteStartArray(name);
        foreach (T item in items) Value(w, item);
        w.WriteEndArray();
    }

    public static void Map<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, Dictionary<string, T> items) where T : IJsonDocument?
    {
        w.WriteStartObject(name);
        foreach (var (key, item) in items)
        {
            w.WritePropertyName(key);
            Value(w, item);
        }
        w.WriteEndObject();
    }

    public static void Strings(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<string?> items)
    {
        w.WriteStartArray(name);
        foreach (string? item in items) w.WriteStringValue(item);
        w.WriteEndArray();
    }

    public static void Strings(Utf8JsonWriter w, ReadOnlySpan<byte> name, Dictionary<string, string?> items)
    {
        w.WriteStartObject(name);
        foreach (var (key, item) in items) w.WriteString(key, item);
        w.WriteEndObject();
    }

    private static void Value<T>(Utf8JsonWriter w, T item) where T : IJsonDocument?
    {
        if (item is null) w.WriteNullValue();
        else item.Write(w);
    }
}
