using System.Text.Json;
using System.Text.RegularExpressions;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Agents;

/// <summary>Codex and Gemini CLI sessions, imported and exported by the AOT binary, arrive in a real OTLP receiver (the
/// Aspire dashboard) with the GenAI provider names of the conventions' registry (openai, gcp.gemini).</summary>
[ClassDataSource<AspireReceiver>(Shared = SharedType.PerTestSession)]
public sealed partial class AgentExportAspireTests(AspireReceiver aspire)
{
    [Test]
    [Arguments("codex", "openai", "gpt-5")]
    [Arguments("gemini-cli", "gcp.gemini", "gemini-2.5")]
    public async Task ImportedSessions_ArriveWithTheirProviderName(string agent, string provider, string modelPrefix)
    {
        using var t = new AgentHomeTree();
        CliResult import = await t.RunAsync("import", "--discover", "--agent", agent);
        await Assert.That(import.ExitCode).IsEqualTo(0).Because(import.ToString());

        string service = "agents-" + agent;
        CliResult export = await t.RunAsync("export", "--all", "--format", "otlp-genai", "--endpoint", aspire.OtlpHttpUrl, "--service-name", service);
        await Assert.That(export.ExitCode).IsEqualTo(0).Because(export.ToString());
        Match sent = SpanCount().Match(export.Stderr);
        await Assert.That(sent.Success).IsTrue().Because(export.Stderr);
        int count = int.Parse(sent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        List<JsonElement> spans = await aspire.WaitForSpansAsync(service, count);
        await Assert.That(spans.Count).IsEqualTo(count);
        var roots = spans.Where(s => s.GetProperty("name").GetString() == $"gen_ai.agent.session ({agent})").ToList();
        await Assert.That(roots.Count).IsEqualTo(3);
        foreach (JsonElement root in roots) await Assert.That(Attr(root, "gen_ai.provider.name")).IsEqualTo(provider);
        var calls = spans.Where(s => s.GetProperty("name").GetString() == "gen_ai.client.operation").ToList();
        await Assert.That(calls.Count).IsGreaterThan(0);
        foreach (JsonElement call in calls)
        {
            await Assert.That(Attr(call, "gen_ai.provider.name")).IsEqualTo(provider);
            await Assert.That(Attr(call, "gen_ai.request.model")!).StartsWith(modelPrefix);
            await Assert.That(Attr(call, "gen_ai.usage.input_tokens")).IsNotNull();
        }
    }

    [GeneratedRegex(@"exported (\d+) spans")]
    private static partial Regex SpanCount();

    private static string? Attr(JsonElement span, string key)
    {
        foreach (JsonElement a in span.GetProperty("attributes").EnumerateArray())
        {
            if (a.GetProperty("key").GetString() != key) continue;
            JsonProperty v = a.GetProperty("value").EnumerateObject().First();
            return v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : v.Value.GetRawText();
        }
        return null;
    }
}
