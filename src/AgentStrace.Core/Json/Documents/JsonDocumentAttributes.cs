using System.Text.Json;

namespace AgentStrace.Json.Documents;

/// <summary>
/// Marks a <c>partial</c> class as a JSON document of a fixed shape. The build's JsonDocumentGenerator gives it
/// <c>Write(Utf8JsonWriter)</c> and <c>static Parse(ReadOnlySpan&lt;byte&gt;)</c>: its public properties in declaration
/// order, named in snake_case unless <see cref="JsonNameAttribute"/> says otherwise, a null one left out unless
/// <see cref="JsonKeepNullAttribute"/>. Reading ignores unknown names, and a missing <c>required</c> property or a value
/// of the wrong type is a <see cref="JsonException"/> naming where.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JsonDocumentAttribute : Attribute;

/// <summary>The property's JSON name, when snake_case is not it (e.g. Langfuse's camelCase).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Write the property as <c>null</c> when it is null, instead of leaving it out.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonKeepNullAttribute : Attribute;

/// <summary>A document the generator wrote a writer for.</summary>
public interface IJsonDocument
{
    /// <summary>Writes the document as one JSON object into <paramref name="w"/> (its indentation and escaping hold).</summary>
    void Write(Utf8JsonWriter w);
}
