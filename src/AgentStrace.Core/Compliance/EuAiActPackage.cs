using System.Buffers;
using AgentStrace.Compliance.Internal;
using AgentStrace.Json;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

/// <summary>
/// Writes the EU AI Act Article 12/13 package (upstream's <c>export_eu_ai_act</c>) as a stream, session by
/// session, never holding the package in memory. Beyond upstream, each <c>sessions[]</c> entry carries every event's
/// stored line (<c>raw_line</c>) and the package ends with an <c>integrity_manifest</c> (see docs/audit-evidence.md).
/// </summary>
public static partial class EuAiActPackage
{
    public const string Regulation = "EU AI Act (Regulation (EU) 2024/1689)";
    public const string ManifestKey = "integrity_manifest";
    public const string ManifestCovers =
        "SHA-256 of every byte of this file before the \"integrity_manifest\" member (from the opening '{' through the "
        + "closing ']' of \"sessions\"), except the quoted string values of \"exported_at\" and \"generation_timestamp\"";

    /// <summary>Keys whose string values the manifest hash skips, so two exports of one store hash the same.</summary>
    public static bool IsVolatileKey(ReadOnlySpan<byte> name) => name.SequenceEqual("exported_at"u8) || name.SequenceEqual("generation_timestamp"u8);

    public const string ToolVersion = BuildInfo.Version;

    /// <summary>Writes the package (indent=2 JSON plus a final newline) and returns its manifest hash.</summary>
    /// <param name="cancellationToken">Checked per session and per block of lines: Ctrl-C stops a big package promptly.</param>
    public static PackageSummary Write(IReadOnlyList<SessionInfo> sessions, IBufferWriter<byte> output, double now, CancellationToken cancellationToken = default)
    {
        var scans = new List<SessionScan>(sessions.Count);
        using var spill = EvidenceSpill.Create();
        foreach (SessionInfo s in sessions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scans.Add(SessionScan.Run(s, spill, cancellationToken));
        }
        string? exportedAt = PyTime.Iso(now);
        using var hashing = new HashingBufferWriter(output);
        var w = new PyJsonWriter(hashing, PyJsonStyle.Indented);
        w.WriteStartObject();

        w.WritePropertyName("compliance_metadata");
        w.WriteStartObject();
        w.WriteString("regulation", Regulation);
        w.WritePropertyName("articles_covered");
        WriteStrings(w, ["Article 12", "Article 13"]);
        w.WriteString("export_tool", "agent-strace");
        w.WriteString("export_version", ToolVersion);
        WriteVolatile(w, hashing, "exported_at", exportedAt);
        w.WriteBool("tamper_evident", true);
        w.WriteNumber("session_count", scans.Count);
        w.WriteEndObject();

        w.WritePropertyName("article_12");
        w.WriteStartObject();
        w.WritePropertyName("logging_obligations");
        w.WriteStartArray();
        spill.Rewind();
        foreach (SessionScan scan in scans)
        {
            w.WriteStartObject();
            w.WriteString("session_id", scan.Session.Id);
            WriteArticle12Members(w, hashing, scan, spill, exportedAt, evidence: false, cancellationToken);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WritePropertyName("article_13");
        w.WriteStartObject();
        w.WritePropertyName("transparency_documentation");
        w.WriteStartArray();
        foreach (SessionScan scan in scans)
        {
            w.WriteStartObject();
            w.WriteString("session_id", scan.Session.Id);
            WriteArticle13Members(w, scan);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        long events = 0;
        w.WritePropertyName("sessions");
        w.WriteStartArray();
        spill.Rewind();
        foreach (SessionScan scan in scans)
        {
            events += scan.EventCount;
            w.WriteStartObject();
            w.WriteString("session_id", scan.Session.Id);
            WriteIsoOrNull(w, "session_start", scan.Session.Meta.StartedAt);
            WriteIsoOrNull(w, "session_end", scan.Session.Meta.EndedAt ?? 0);
            w.WriteString("agent_name", scan.Session.Meta.AgentName);
            w.WritePropertyName("article_12");
            w.WriteStartObject();
            WriteArticle12Members(w, hashing, scan, spill, exportedAt, evidence: true, cancellationToken);
            w.WriteEndObject();
            w.WritePropertyName("article_13");
            w.WriteStartObject();
            WriteArticle13Members(w, scan);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        // Everything written so far is covered; the manifest itself is not.
        string manifest = hashing.FinishHex();
        hashing.Suspended = true;
        w.WritePropertyName(ManifestKey);
        w.WriteStartObject();
        w.WriteString("algorithm", "sha256");
        w.WriteString("covers", ManifestCovers);
        w.WriteString("package_sha256", manifest);
        w.WriteEndObject();
        w.WriteEndObject();
        output.Write("\n"u8);
        return new PackageSummary(manifest, scans.Count, events);
    }

    private static void WriteVolatile(PyJsonWriter w, HashingBufferWriter hashing, string name, string? value)
    {
        w.WritePropertyName(name);
        hashing.Suspended = true;
        if (value is null) w.WriteNullValue(); else w.WriteStringValue(value);
        hashing.Suspended = false;
    }

    private static void WriteIsoOrNull(PyJsonWriter w, string name, double ts)
    {
        w.WritePropertyName(name);
        if (PyTime.Iso(ts) is string iso) w.WriteStringValue(iso); else w.WriteNullValue();
    }

    private static void WriteStrings(PyJsonWriter w, IEnumerable<string> values)
    {
        w.WriteStartArray();
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
