using System.Buffers;
using AgentStrace.Json;

namespace AgentStrace.Compliance;

/// <summary>Renders <c>verify --from-export</c>: upstream's first line and JSON keys, then this tool's package checks.</summary>
public static class PackageReport
{
    public static void Text(PackageVerifyResult r, IBufferWriter<byte> output)
    {
        int links = r.LinkFailures.Count();
        Output.Text.Line(output, links == 0
            ? $"Export hash chain intact — {r.CheckedEvents} events checked"
            : $"Export hash chain failed — {links} broken links");
        if (r.Ok)
        {
            Output.Text.Line(output, $"Package integrity intact — manifest sha256 {r.ManifestComputed}; {r.CheckedSessions} sessions, every line hash, field, summary and chain recomputed from the raw lines");
            return;
        }
        int total = r.Problems.Count + r.MoreProblems;
        Output.Text.Line(output, $"Package integrity FAILED — {total} problem{(total == 1 ? "" : "s")}:");
        foreach (PackageProblem p in r.Problems) Output.Text.Line(output, $"  {p.Where}: {p.Message}");
        if (r.MoreProblems > 0) Output.Text.Line(output, $"  ... and {r.MoreProblems} more");
    }

    public static void Json(PackageVerifyResult r, IBufferWriter<byte> output)
    {
        var w = new PyJsonWriter(output, PyJsonStyle.Indented);
        w.WriteStartObject();
        w.WriteBool("ok", r.Ok);
        w.WriteNumber("checked_sessions", r.CheckedSessions);
        w.WriteNumber("checked_events", r.CheckedEvents);
        w.WritePropertyName("failures");
        WriteProblems(w, r.LinkFailures, withField: false);
        w.WriteBool("manifest_ok", r.ManifestOk);
        w.WriteString("manifest_sha256", r.ManifestRecorded);
        w.WriteString("manifest_computed", r.ManifestComputed);
        w.WritePropertyName("problems");
        WriteProblems(w, r.Problems, withField: true);
        w.WriteNumber("problems_not_listed", r.MoreProblems);
        w.WriteEndObject();
        output.Write("\n"u8);
    }

    // Upstream's failures list names the event only; the problems list also says which field and why.
    private static void WriteProblems(PyJsonWriter w, IEnumerable<PackageProblem> problems, bool withField)
    {
        w.WriteStartArray();
        foreach (PackageProblem p in problems)
        {
            w.WriteStartObject();
            w.WriteString("session_id", p.SessionId);
            w.WritePropertyName("seq");
            if (p.Seq is long seq) w.WriteNumberValue(seq); else w.WriteNullValue();
            w.WriteString("event_id", p.EventId);
            if (withField)
            {
                w.WriteString("field", p.Field);
                w.WriteString("message", p.Message);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
