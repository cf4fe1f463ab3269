using System.Text.Json;

namespace AgentStrace.Report;

/// <summary>Attribute keys written once and referred to by index: spans repeat the same dozen keys thousands of times.</summary>
internal sealed class ReportKeys
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    public int this[string key]
    {
        get
        {
            if (_index.TryGetValue(key, out int i)) return i;
            _index[key] = i = _keys.Count;
            _keys.Add(key);
            return i;
        }
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (string k in _keys) w.WriteStringValue(k);
        w.WriteEndArray();
    }
}
