using System.Text.Json;

namespace AgentStrace.Json.Documents;

/// <summary>
/// Marks a <c>partial</c> class as a JSON document of a fixed shape. The build's JsonDocumentGenerator gives it
/// <c>Write(Utf8JsonWriter)</c> and <c>static Parse(ReadOnlySpan&lt;byte&gt;)</c>: its public properties in declaration
/// order, named in snake_case unless <see cref="JsonNameAttribute"/> says otherwise, a null one left out unless
/// <see cref="JsonKeepNullAttribute"/>. Reading ignores unknown names (unless <see cref="Strict"/>), and a missing
/// <c>required</c> property, a value of the wrong type or a string that is not valid Unicode is a
/// <see cref="JsonException"/> naming where.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JsonDocumentAttribute : Attribute
{
    /// <summary>
    /// For files people edit by hand (configuration, pricing): a name the document does not declare, or a name given
    /// twice in one object (or map), is an error naming it, instead of being skipped or overwritten.
    /// </summary>
    public bool Strict { get; set; }

    /// <summary><c>Parse</c> skips <c>//</c> and <c>/* */</c> comments and accepts trailing commas.</summary>
    public bool Comments { get; set; }

    /// <summary>
    /// Write through <see cref="PyJsonWriter"/> (<c>Write(PyJsonWriter)</c>): the bytes of Python's <c>json.dumps</c>
    /// (ASCII-only escapes, <c>1.0</c> for a whole float), for outputs that match the Python tool's.
    /// </summary>
    public bool Python { get; set; }
}

/// <summary>The property's JSON name, when snake_case is not it (e.g. Langfuse's camelCase).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Write the property as <c>null</c> when it is null, instead of leaving it out.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonKeepNullAttribute : Attribute;

/// <summary>A document the generator wrote a Python-style writer for (<see cref="JsonDocumentAttribute.Python"/>).</summary>
public interface IPyJsonDocument
{
    /// <summary>Writes the document as one JSON object into <paramref name="w"/>, in the writer's style.</summary>
    void Write(PyJsonWriter w);
}

/// <summary>A document the generator wrote a writer for.</summary>
public interface IJsonDocument
{
    /// <summary>Writes the document as one JSON object into <paramref name="w"/> (its indentation and escaping hold).</summary>
    void Write(Utf8JsonWriter w);
}
