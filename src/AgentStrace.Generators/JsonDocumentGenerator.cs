using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AgentStrace.Generators;

/// <summary>
/// Gives every <c>[JsonDocument]</c> partial class a writer over <c>Utf8JsonWriter</c> and a reader over
/// <c>Utf8JsonReader</c> (see JsonDocumentAttribute in AgentStrace.Core for the rules). The same calls the
/// System.Text.Json serializer made, without its reflection-shaped machinery in the binary.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class JsonDocumentGenerator : IIncrementalGenerator
{
    internal const string Namespace = "AgentStrace.Json.Documents";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<(string Name, string Source)> documents = context.SyntaxProvider.ForAttributeWithMetadataName(
            Namespace + ".JsonDocumentAttribute",
            static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
            static (ctx, _) =>
            {
                var type = (INamedTypeSymbol)ctx.TargetSymbol;
                JsonDocumentModel model = Describe(type);
                return (type.Name, JsonDocumentEmitter.Emit(model));
            });

        context.RegisterSourceOutput(documents, static (output, document) =>
            output.AddSource($"{document.Name}.JsonDocument.g.cs", SourceText.From(document.Source, Encoding.UTF8)));
    }

    private static JsonDocumentModel Describe(INamedTypeSymbol type)
    {
        var model = new JsonDocumentModel
        {
            Namespace = type.ContainingNamespace.ToDisplayString(),
            Name = type.Name,
            FullName = type.ToDisplayString(),
            DeclaresConstructor = type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared),
        };
        AttributeData? document = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == Namespace + ".JsonDocumentAttribute");
        foreach (KeyValuePair<string, TypedConstant> option in document?.NamedArguments ?? Enumerable.Empty<KeyValuePair<string, TypedConstant>>())
        {
            bool on = option.Value.Value is true;
            if (option.Key == "Strict") model.Strict = on;
            else if (option.Key == "Comments") model.Comments = on;
            else if (option.Key == "Python") model.Python = on;
        }
        if (type.BaseType is { SpecialType: not SpecialType.System_Object }) model.Error = "a [JsonDocument] class derives from object only";
        if (type.ContainingType != null || type.IsGenericType) model.Error = "a [JsonDocument] class is a top-level, non-generic class";
        foreach (IPropertySymbol p in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (p.IsStatic || p.IsIndexer || p.DeclaredAccessibility != Accessibility.Public || p.GetMethod == null) continue;
            var member = new JsonMember
            {
                Property = p.Name,
                JsonName = Attribute(p, "JsonNameAttribute")?.ConstructorArguments.FirstOrDefault().Value as string ?? SnakeCase.Lower(p.Name),
                KeepNull = Attribute(p, "JsonKeepNullAttribute") != null,
                Required = p.IsRequired,
                Readable = p.SetMethod is { DeclaredAccessibility: Accessibility.Public },
            };
            JsonValueType? value = Classify(p.Type, p.NullableAnnotation);
            if (value == null)
            {
                model.Error = $"{type.Name}.{p.Name}: {p.Type.ToDisplayString()} is not a JSON document type (int, long, double, bool, their nullables, string, a [JsonDocument], List<T> or Dictionary<string, T> of strings or documents, List<T> of int, long or double)";
                continue;
            }
            member.Value = value;
            model.Members.Add(member);
        }
        if (model.Members.Count(m => m.Required) > 64) model.Error = $"{type.Name} has more than 64 required properties";
        if (model.Strict && model.Members.Count(m => m.Readable) > 64) model.Error = $"{type.Name} is strict and has more than 64 properties";
        return model;
    }

    private static JsonValueType? Classify(ITypeSymbol type, NullableAnnotation annotation)
    {
        bool nullable = annotation == NullableAnnotation.Annotated;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapper)
        {
            JsonValueType? inner = Classify(wrapper.TypeArguments[0], NullableAnnotation.NotAnnotated);
            if (inner == null || inner.Kind is JsonKind.String or JsonKind.Document or JsonKind.List or JsonKind.Map) return null;
            inner.Nullable = true;
            return inner;
        }
        string display = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();
        JsonKind? kind = type.SpecialType switch
        {
            SpecialType.System_Int32 => JsonKind.Int32,
            SpecialType.System_Int64 => JsonKind.Int64,
            SpecialType.System_Double => JsonKind.Double,
            SpecialType.System_Boolean => JsonKind.Boolean,
            SpecialType.System_String => JsonKind.String,
            _ => null,
        };
        if (kind != null) return new JsonValueType { Kind = kind.Value, Nullable = nullable, TypeName = display };
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Namespace + ".JsonDocumentAttribute"))
        {
            return new JsonValueType { Kind = JsonKind.Document, Nullable = nullable, TypeName = display };
        }
        if (type is not INamedTypeSymbol { IsGenericType: true } generic) return null;
        string definition = generic.OriginalDefinition.ToDisplayString();
        JsonValueType? element;
        if (definition == "System.Collections.Generic.List<T>")
        {
            element = Classify(generic.TypeArguments[0], generic.TypeArgumentNullableAnnotations[0]);
            kind = JsonKind.List;
        }
        else if (definition == "System.Collections.Generic.Dictionary<TKey, TValue>" && generic.TypeArguments[0].SpecialType == SpecialType.System_String)
        {
            element = Classify(generic.TypeArguments[1], generic.TypeArgumentNullableAnnotations[1]);
            kind = JsonKind.Map;
        }
        else return null;
        // Lists and maps hold strings or documents; a list may also hold plain numbers.
        if (element == null || (element.Kind is not (JsonKind.String or JsonKind.Document)
            && !(kind == JsonKind.List && !element.Nullable && element.Kind is JsonKind.Int32 or JsonKind.Int64 or JsonKind.Double))) return null;
        return new JsonValueType { Kind = kind.Value, Nullable = nullable, TypeName = display, Element = element };
    }

    private static AttributeData? Attribute(IPropertySymbol p, string name) =>
        p.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == Namespace + "." + name);
}

internal enum JsonKind { Int32, Int64, Double, Boolean, String, Document, List, Map }

/// <summary>A property's JSON type: a primitive, a document, or a list or string-keyed map of strings or documents.</summary>
internal sealed class JsonValueType
{
    public JsonKind Kind { get; set; }
    public bool Nullable { get; set; }
    public string TypeName { get; set; } = "";
    public JsonValueType? Element { get; set; }
}

internal sealed class JsonMember
{
    public string Property { get; set; } = "";
    public string JsonName { get; set; } = "";
    public bool KeepNull { get; set; }
    public bool Required { get; set; }
    public bool Readable { get; set; }
    public JsonValueType Value { get; set; } = new();
}

internal sealed class JsonDocumentModel
{
    public string Namespace { get; set; } = "";
    public string Name { get; set; } = "";
    public string FullName { get; set; } = "";
    public bool DeclaresConstructor { get; set; }
    public bool Strict { get; set; }
    public bool Comments { get; set; }
    public bool Python { get; set; }
    public string? Error { get; set; }
    public List<JsonMember> Members { get; } = new();
}
