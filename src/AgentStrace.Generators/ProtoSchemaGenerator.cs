using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AgentStrace.Generators;

/// <summary>
/// Generates the OTLP protobuf code from every <c>*.protoschema</c> additional file: field-number constants, and per
/// bound message a writer over <c>ProtoWriter</c>, its exact size and, where the schema says how to build the type, a
/// reader over <c>ProtoReader</c>. The grammar is described at the top of the schema file itself.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ProtoSchemaGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<(string Name, string Text)> schemas = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".protoschema", System.StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) =>
                (Path.GetFileNameWithoutExtension(file.Path), file.GetText(cancellationToken)?.ToString() ?? ""));

        context.RegisterSourceOutput(schemas, static (output, schema) =>
        {
            ProtoSchema parsed = ProtoSchema.Parse(schema.Text);
            string source = parsed.Error is { } error
                ? $"#error {schema.Name}.protoschema {error}\n"
                : ProtoEmitter.Emit(parsed);
            output.AddSource($"{schema.Name}.protoschema.g.cs", SourceText.From(source, Encoding.UTF8));
        });
    }
}
