using System.Text.Json;
using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Capture.Import;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Capture.Redaction;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Capture.Agents;

/// <summary>Imports this repository's own agent fixtures (tests/fixtures/agents/home) into a temp store and reads the result back.</summary>
internal sealed class ImportedStore : IDisposable
{
    public static string Home => Path.Combine(Repo.Fixtures, "agents", "home");

    private readonly TempDir _dir = new();

    public ImportedStore() => Importer = new AgentImporter(Store, Redactor.For(false));

    public TraceStore Store => new(_dir.Path);
    public AgentImporter Importer { get; }

    public List<ImportResult> Import(params string[] relative) => relative.SelectMany(r => Importer.Import(Path.Combine(Home, r))).ToList();

    public List<JsonElement> Events(string sessionId) =>
        File.ReadAllLines(Path.Combine(_dir.Path, sessionId, "events.ndjson")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public JsonElement Meta(string sessionId) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, sessionId, "meta.json"))).RootElement.Clone();

    public SessionCost Cost(string sessionId) => new SessionAnalyzer(CostOptions.Default(PricingTable.BuiltIn())).Analyze(Store.Find(sessionId)).Cost;

    public void Dispose() => _dir.Dispose();
}

internal static class EventJson
{
    public static string Type(this JsonElement e) => e.GetProperty("event_type").GetString()!;
    public static JsonElement Data(this JsonElement e) => e.GetProperty("data");
    public static string Str(this JsonElement e, string key) => e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
    public static long Num(this JsonElement e, string key) => e.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
    public static IEnumerable<JsonElement> OfType(this IEnumerable<JsonElement> events, string type) => events.Where(e => e.Type() == type);
}
