using System.Text.Json;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Support;

/// <summary>Spans as the Aspire receiver holds them, compared with a plain <c>export</c> of the same session.</summary>
public static class ReceivedSpans
{
    /// <summary>Waits (bounded) for at least <paramref name="count"/> spans of the service; the dashboard answers 404 until the first arrived.</summary>
    public static async Task<List<JsonElement>> WaitAsync(AspireReceiver aspire, string service, int count, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await aspire.WaitForSpansAsync(service, count, timeout - sw.Elapsed);
            }
            catch (InvalidOperationException) when (sw.Elapsed < timeout)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>trace/span/parent ids, name and times (in the dashboard's 100 ns ticks) of each span, sorted.</summary>
    public static string[] Keys(IEnumerable<JsonElement> spans)
    {
        static ulong Ticks(JsonElement s, string name) => ulong.Parse(s.GetProperty(name).ToString(), System.Globalization.CultureInfo.InvariantCulture) / 100;
        static string Key(JsonElement s) => $"{s.GetProperty("traceId").GetString()}/{s.GetProperty("spanId").GetString()}/{(s.TryGetProperty("parentSpanId", out JsonElement p) ? p.GetString() : "")}/{s.GetProperty("name").GetString()}/{Ticks(s, "startTimeUnixNano")}/{Ticks(s, "endTimeUnixNano")}";
        return spans.Select(Key).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The spans of a plain <c>export</c> of the session to an OTLP/JSON file.</summary>
    public static async Task<List<JsonElement>> ExportAsync(string workingDirectory, string sessionId, string service, IDictionary<string, string?>? env = null)
    {
        string file = Path.Combine(workingDirectory, "export-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        CliResult r = await AgentStraceCli.RunAsync(["export", sessionId, "--format", "otlp-genai", "--service-name", service, "-o", file], workingDirectory, env);
        if (r.ExitCode != 0) throw new InvalidOperationException("export failed: " + r);
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var exported = new List<JsonElement>();
        foreach (JsonElement rs in doc.RootElement.GetProperty("resourceSpans").EnumerateArray())
        {
            foreach (JsonElement ss in rs.GetProperty("scopeSpans").EnumerateArray()) exported.AddRange(ss.GetProperty("spans").EnumerateArray().Select(s => s.Clone()));
        }
        return exported;
    }
}
