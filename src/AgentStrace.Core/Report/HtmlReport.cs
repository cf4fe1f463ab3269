using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Output;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Report;

/// <summary>What <c>report --html</c> was asked for.</summary>
public sealed record ReportRequest
{
    public string? SessionId { get; init; }
    public bool All { get; init; }
    public string? Since { get; init; }
    public string? Until { get; init; }
    public bool NoContent { get; init; }
    public string? Output { get; init; }
    public bool FollowSymlinks { get; init; }
    public string? Pricing { get; init; }
    /// <summary>The tool's version, printed in the page.</summary>
    public string Version { get; init; } = "";
}

/// <summary>What was written.</summary>
public readonly record struct ReportResult(int Sessions, int Spans, long Bytes, string? Path);

/// <summary>
/// <c>report --html</c>: one self-contained HTML file holding sessions as a waterfall of the spans <c>export --format
/// otlp-genai</c> builds (the same pipeline, so the page shows exactly the exported spans and nesting), with an
/// overview of every session for <c>--all</c>. The page's CSS and script are compiled in (compressed); the data goes in
/// a JSON script block whose <c>&lt;</c> are escaped, so no stored text can end the block or start markup.
/// </summary>
public static class HtmlReport
{
    private const string TitleMarker = "{{TITLE}}", DataMarker = "{{DATA}}";

    public static async Task<ReportResult> WriteAsync(TraceStore store, ReportRequest request, Action<string> warn, CancellationToken cancellationToken)
    {
        List<SessionInfo> listing = store.List(request.All ? warn : null);
        List<SessionInfo> selected = Select(store, request, listing);
        List<PlannedSession> plan = TraceExportPlan.Build(store, selected, warn, listing);
        SpanOptions options = TraceExportOptions.From(new ExportRequest { Format = ExportFormat.OtlpGenAi, NoContent = request.NoContent },
            Environment.GetEnvironmentVariable, [], null);
        List<Span> spans = await CollectingSink.CollectAsync(plan, options, m => warn("agent-strace: " + m), cancellationToken);
        PricingTable prices = PricingTable.Load(store.Root, request.Pricing);
        List<ReportTrace> traces = ReportTrace.Group(plan, spans);

        var json = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var keys = new ReportKeys();
            w.WriteStartObject();
            w.WriteString("title", Title(request, traces));
            w.WriteString("generated", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("version", request.Version);
            w.WriteBoolean("noContent", request.NoContent);
            w.WriteStartArray("sessions");
            foreach (ReportTrace trace in traces) ReportJson.WriteSession(w, trace, keys, prices);
            w.WriteEndArray();
            if (request.All)
            {
                w.WritePropertyName("overview");
                ReportOverview.Write(w, store, traces, listing, prices, warn);
            }
            w.WritePropertyName("keys");
            keys.Write(w);
            w.WriteEndObject();
        }

        using OutputTarget target = OutputTarget.Open(request.Output, request.FollowSymlinks, carriesContent: !request.NoContent);
        long bytes = WritePage(target.Writer, HtmlEscape(Title(request, traces)), json.WrittenSpan);
        target.Commit();
        return new ReportResult(traces.Count, spans.Count, bytes, target.Path);
    }

    private static List<SessionInfo> Select(TraceStore store, ReportRequest request, List<SessionInfo> listing)
    {
        if (!string.IsNullOrEmpty(request.SessionId))
        {
            if (request.All) throw new AgentStraceException("Give either a session id or --all, not both.");
            return [store.Find(request.SessionId, listing)];
        }
        if (request.All)
        {
            double? since = TimeBound.ParseOptional(request.Since, "--since"), until = TimeBound.ParseOptional(request.Until, "--until");
            var within = TraceStore.Within(listing, since, until).Where(s => s.Meta.ParentSessionId.Length == 0).ToList();
            within.Reverse(); // oldest first
            if (within.Count == 0) throw new SessionNotFoundException($"No sessions found in {store.DisplayRoot} for the given --since/--until.");
            return within;
        }
        if (!string.IsNullOrWhiteSpace(request.Since) || !string.IsNullOrWhiteSpace(request.Until))
        {
            throw new AgentStraceException("--since/--until choose sessions for --all; add --all, or give a session id.");
        }
        // The newest top-level session: a sub-agent alone would leave out the session that spawned it.
        return [listing.FirstOrDefault(s => s.Meta.ParentSessionId.Length == 0) ?? store.Latest(listing)];
    }

    private static string Title(ReportRequest request, List<ReportTrace> traces) =>
        request.All ? $"agent-strace report: {traces.Count} session{(traces.Count == 1 ? "" : "s")}"
        : traces.Count > 0 ? $"agent-strace report: session {traces[0].Session.Id}" : "agent-strace report";

    /// <summary>The template with the title and the data put in; returns the bytes written.</summary>
    private static long WritePage(IBufferWriter<byte> output, string title, ReadOnlySpan<byte> json)
    {
        byte[] template = Template();
        ReadOnlySpan<byte> page = template;
        int t = page.IndexOf(Encoding.UTF8.GetBytes(TitleMarker));
        int d = page.IndexOf(Encoding.UTF8.GetBytes(DataMarker));
        if (t < 0 || d < t) throw new InvalidOperationException("the report template lacks its markers");
        long written = 0;
        void Put(ReadOnlySpan<byte> bytes)
        {
            output.Write(bytes);
            written += bytes.Length;
        }
        Put(page[..t]);
        Put(Encoding.UTF8.GetBytes(title));
        Put(page[(t + TitleMarker.Length)..d]);
        // '<' occurs in JSON only inside strings, where \u003c means the same; without it no "</script" or "<!--" can
        // appear in the block, whatever a prompt or tool output contains.
        ReadOnlySpan<byte> rest = json;
        while (rest.Length > 0)
        {
            int lt = rest.IndexOf((byte)'<');
            if (lt < 0)
            {
                Put(rest);
                break;
            }
            Put(rest[..lt]);
            Put("\\u003c"u8);
            rest = rest[(lt + 1)..];
        }
        Put(page[(d + DataMarker.Length)..]);
        return written;
    }

    private static byte[] Template()
    {
        using var packed = new MemoryStream(EmbeddedAssets.ReportHtmlGz.ToArray());
        using var gzip = new GZipStream(packed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        gzip.CopyTo(raw);
        return raw.ToArray();
    }

    private static string HtmlEscape(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
