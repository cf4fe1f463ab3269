using System.Buffers;
using AgentStrace.Json;
using AgentStrace.Json.Documents;
using AgentStrace.Output;

namespace AgentStrace.Compliance;

/// <summary>Renders <c>verify</c> results: upstream's text lines and JSON keys, plus the legacy/partial distinction.</summary>
public static class ChainReport
{
    public static void Text(ChainResult r, IBufferWriter<byte> output)
    {
        switch (r.Status)
        {
            case ChainStatus.Broken:
                Output.Text.Line(output, $"❌ Chain broken at event #{r.BrokenAt} (id={r.BrokenEventId})");
                Output.Text.Line(output, $"   {r.TotalEvents} events checked — session may have been tampered with");
                Output.Text.Line(output, r.BrokenLine > 0 ? $"   events.ndjson line {r.BrokenLine}: {r.Reason}" : $"   {r.Reason}");
                break;
            case ChainStatus.Legacy:
                Output.Text.Line(output, $"➖ Legacy session — {r.TotalEvents} events recorded without a hash chain (before v0.62); nothing to verify, not tampering");
                break;
            default:
                Output.Text.Line(output, $"✅ Chain intact — {r.TotalEvents} events verified");
                if (r.Status == ChainStatus.Partial)
                {
                    Output.Text.Line(output, $"   {r.UnlinkedEvents} events carry no prev_hash (legacy lines); the chain does not cover them");
                }
                break;
        }
        Damage(r, output);
    }

    /// <summary>Lines that are not events, each named: a torn tail for what it is, other lines as skipped.</summary>
    private static void Damage(ChainResult r, IBufferWriter<byte> output)
    {
        if (r.UnparsableLines == 0) return;
        Output.Text.Line(output, $"⚠️  {r.UnparsableLines} line(s) are not events and were skipped (not counted as events):");
        foreach (long line in r.UnparsableLineNumbers)
        {
            Output.Text.Line(output, line == r.TornTailLine
                ? $"   events.ndjson line {line}: torn tail, crash during append (the next append starts a new line)"
                : $"   events.ndjson line {line}: not a JSON event, skipped");
        }
        if (r.UnparsableLines > r.UnparsableLineNumbers.Count) Output.Text.Line(output, $"   … and {r.UnparsableLines - r.UnparsableLineNumbers.Count} more");
    }

    public static void TextAll(IReadOnlyList<ChainResult> results, IBufferWriter<byte> output)
    {
        foreach (ChainResult r in results)
        {
            Output.Text.Line(output, "Session " + r.SessionId);
            Text(r, output);
        }
        int broken = results.Count(r => !r.Ok), legacy = results.Count(r => r.Status == ChainStatus.Legacy);
        Output.Text.Line(output, $"{results.Count} sessions checked: {broken} broken, {legacy} legacy");
    }

    public static void Json(ChainResult r, IBufferWriter<byte> output) => Write(Document(r).Write, output);

    public static void JsonAll(IReadOnlyList<ChainResult> results, IBufferWriter<byte> output) => Write(new ChainsDocument
    {
        Ok = results.All(r => r.Ok),
        CheckedSessions = results.Count,
        BrokenSessions = results.Where(r => !r.Ok).Select(r => r.SessionId).ToList(),
        Sessions = results.Select(Document).ToList(),
    }.Write, output);

    /// <summary>A generated document's bytes as upstream prints them: indented, then a newline.</summary>
    internal static void Write(Action<PyJsonWriter> document, IBufferWriter<byte> output)
    {
        document(new PyJsonWriter(output, PyJsonStyle.Indented));
        output.Write("\n"u8);
    }

    /// <summary>Where the chain broke, as upstream names it (also in the EU AI Act package's trace_integrity).</summary>
    internal static void WriteBreak(PyJsonWriter w, ChainResult r)
    {
        w.WritePropertyName("broken_at");
        if (r.BrokenAt is int at) w.WriteNumberValue(at); else w.WriteNullValue();
        w.WriteString("broken_event_id", r.BrokenEventId);
    }

    private static ChainDocument Document(ChainResult r) => new()
    {
        SessionId = r.SessionId,
        Ok = r.Ok,
        TotalEvents = r.TotalEvents,
        BrokenAt = r.BrokenAt,
        BrokenEventId = r.BrokenEventId,
        Status = StatusName(r.Status),
        BrokenLine = r.BrokenLine > 0 ? r.BrokenLine : null,
        Reason = r.Reason,
        UnlinkedEvents = r.UnlinkedEvents,
        UnparsableLines = r.UnparsableLines,
        UnparsableLineNumbers = [.. r.UnparsableLineNumbers],
        TornTailLine = r.TornTailLine > 0 ? r.TornTailLine : null,
        RootHash = r.RootHash,
    };

    public static string StatusName(ChainStatus s) => s switch
    {
        ChainStatus.Intact => "intact",
        ChainStatus.Empty => "empty",
        ChainStatus.Legacy => "legacy",
        ChainStatus.Partial => "partial",
        _ => "broken",
    };
}
