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

    public static void Numbers(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<long> items)
    {
        w.WriteStartArray(name);
        foreach (long item in items) w.WriteNumberValue(item);
        w.WriteEndArray();
    }

    public static void Numbers(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<int> items)
    {
        w.WriteStartArray(name);
        foreach (int item in items) w.WriteNumberValue(item);
        w.WriteEndArray();
    }

    public static void Numbers(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<double> items)
    {
        w.WriteStartArray(name);
        foreach (double item in items) w.WriteNumberValue(item);
        w.WriteEndArray();
    }

    // The same through PyJsonWriter, for documents written in Python's style.

    public static void List<T>(PyJsonWriter w, ReadOnlySpan<byte> name, List<T> items) where T : IPyJsonDocument?
    {
        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (T item in items)
        {
            if (item is null) w.WriteNullValue();
            else item.Write(w);
        }
        w.WriteEndArray();
    }

    public static void Map<T>(PyJsonWriter w, ReadOnlySpan<byte> name, Dictionary<string, T> items) where T : IPyJsonDocument?
    {
        w.WritePropertyName(name);
        w.WriteStartObject();
        foreach (var (key, item) in items)
        {
            w.WritePropertyName(key.AsSpan());
            if (item is null) w.WriteNullValue();
            else item.Write(w);
        }
        w.WriteEndObject();
    }

    public static void Strings(PyJsonWriter w, ReadOnlySpan<byte> name, List<string?> items)
    {
        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (string? item in items)
        {
            if (item is null) w.WriteNullValue();
            else w.WriteStringValue(item);
        }
        w.WriteEndArray();
    }

    public static void Numbers(PyJsonWriter w, ReadOnlySpan<byte> name, List<long> items)
    {
        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (long item in items) w.WriteNumberValue(item);
        w.WriteEndArray();
    }

    private static void Value<T>(Utf8JsonWriter w, T item) where T : IJsonDocument?
    {
        if (item is null) w.WriteNullValue();
        else item.Write(w);
    }
}
