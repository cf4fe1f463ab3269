using System.Text.Json;
using System.Text.RegularExpressions;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Report;

/// <summary>Stores the report tests render: the demo session, a hostile one and a 10k-call one; and the export's span tree.</summary>
internal static partial class ReportStores
{
    public const string Hostile = "</script><script>window.__pwned=1;alert(1)</script><!-- <img src=x onerror=alert(2)>";

    /// <summary>The demo's store (session and sub-agent), made by <c>demo --keep</c> into <paramref name="dir"/>.</summary>
    public static async Task<string> DemoAsync(TempDir dir)
    {
        CliResult r = await AgentStraceCli.RunAsync(["demo", "--keep"], env: new Dictionary<string, string?> { ["TMPDIR"] = dir.Path });
        if (r.ExitCode != 0) throw new InvalidOperationException("demo failed: " + r);
        return KeptAt().Match(r.Stdout).Groups[1].Value;
    }

    /// <summary>A session whose prompt, tool name and tool input try to break out of the page.</summary>
    public static string HostileStore(TempDir dir)
    {
        string root = dir.Store, id = "hostile-0001";
        Directory.CreateDirectory(Path.Combine(root, id));
        // Raw "<" in the stored line, as a real agent would write it.
        string h = "\"" + JsonEncodedText.Encode(Hostile, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";
        string[] lines =
        [
            $$$"""{"event_type":"session_start","timestamp":1796619000.0,"event_id":"e0000001","session_id":"{{{id}}}","data":{"model":"claude-sonnet-4-6"}}""",
            $$$"""{"event_type":"user_prompt","timestamp":1796619001.0,"event_id":"e0000002","session_id":"{{{id}}}","data":{"prompt":{{{h}}}}}""",
            $$$"""{"event_type":"tool_call","timestamp":1796619002.0,"event_id":"e0000003","session_id":"{{{id}}}","data":{"tool_name":"<img src=x onerror=alert(3)>","arguments":{"command":""" + h + "}}}",
            $$$"""{"event_type":"tool_result","timestamp":1796619003.0,"event_id":"e0000004","session_id":"{{{id}}}","parent_id":"e0000003","duration_ms":1000,"data":{"content_preview":{{{h}}}}}""",
            $$$"""{"event_type":"session_end","timestamp":1796619004.0,"event_id":"e0000005","session_id":"{{{id}}}","data":{}}""",
        ];
        File.WriteAllText(Path.Combine(root, id, "events.ndjson"), string.Join("\n", lines) + "\n");
        File.WriteAllText(Path.Combine(root, id, "meta.json"),
            $$$"""{"session_id": "{{{id}}}", "started_at": 1796619000.0, "ended_at": 1796619004.0, "agent_name": "claude-code", "tool_calls": 1, "llm_requests": 0, "errors": 0, "total_tokens": 0, "total_duration_ms": 4000.0}""");
        return id;
    }

    /// <summary>A session of 10,000 tool calls (and one model call).</summary>
    public static string BigStore(TempDir dir)
    {
        SyntheticStore.AddSession(dir.Store, "big-10k", 1796619000, toolCalls: 10_000, durationS: 3600);
        return "big-10k";
    }

    /// <summary>The export's spans: id → parent id ("" for a root), from <c>export --format otlp-genai</c>.</summary>
    public static async Task<Dictionary<string, string>> ExportTreeAsync(string store, string session, TempDir dir)
    {
        string file = Path.Combine(dir.Path, "export.json");
        CliResult r = await AgentStraceCli.RunAsync(["--trace-dir", store, "export", session, "--format", "otlp-genai", "-o", file]);
        if (r.ExitCode != 0) throw new InvalidOperationException("export failed: " + r);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var tree = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement rs in doc.RootElement.GetProperty("resourceSpans").EnumerateArray())
        {
            foreach (JsonElement ss in rs.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (JsonElement span in ss.GetProperty("spans").EnumerateArray())
                {
                    tree[span.GetProperty("spanId").GetString()!] = span.TryGetProperty("parentSpanId", out JsonElement p) ? p.GetString() ?? "" : "";
                }
            }
        }
        return tree;
    }

    /// <summary>The page's embedded data: the span ids and parents of every session, as the page will draw them.</summary>
    public static JsonDocument EmbeddedData(string html)
    {
        const string Open = "<script type=\"application/json\" id=\"report-data\">";
        int start = html.IndexOf(Open, StringComparison.Ordinal) + Open.Length;
        int end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        return JsonDocument.Parse(html[start..end]);
    }

    [GeneratedRegex(@"The store is kept at (\S+)\. Try:")]
    private static partial Regex KeptAt();
}
