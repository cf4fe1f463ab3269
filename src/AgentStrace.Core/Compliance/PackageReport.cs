using System.Buffers;
using AgentStrace.Json.Documents;

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

    public static void Json(PackageVerifyResult r, IBufferWriter<byte> output) => ChainReport.Write(new PackageCheckDocument
    {
        Ok = r.Ok,
        CheckedSessions = r.CheckedSessions,
        CheckedEvents = r.CheckedEvents,
        Failures = Problems(r.LinkFailures, withField: false),
        ManifestOk = r.ManifestOk,
        ManifestSha256 = r.ManifestRecorded,
        ManifestComputed = r.ManifestComputed,
        Problems = Problems(r.Problems, withField: true),
        ProblemsNotListed = r.MoreProblems,
    }.Write, output);

    // Upstream's failures list names the event only; the problems list also says which field and why.
    private static List<PackageProblemDocument> Problems(IEnumerable<PackageProblem> problems, bool withField) =>
        problems.Select(p => new PackageProblemDocument
        {
            SessionId = p.SessionId,
            Seq = p.Seq,
            EventId = p.EventId,
            Field = withField ? p.Field : null,
            Message = withField ? p.Message : null,
        }).ToList();
}
