using System.Text.Json;

namespace AgentStrace.Json;

/// <summary>Where one top-level property of a raw JSON object sits: byte offsets into the object's text.</summary>
/// <param name="Children">For an object value, where its own properties sit (offsets into the value's text), when recorded.</param>
public readonly record struct JsonPropertySlot(int NameStart, int NameLength, JsonTokenType Kind, int ValueStart, int ValueLength, bool ValueEscaped,
    JsonPropertySlot[]? Children = null);
