using System.Globalization;
using AgentStrace.Model;

namespace AgentStrace.Bench;

/// <summary>
/// A big store: <c>count</c> sessions of 0–40 tool calls each (≈ 20 KB of events on average), one started every
/// 15 minutes back from a fixed time (10,000 sessions ≈ 104 days), every tenth a sub-agent of the session before it.
/// Each session is a <see cref="SessionGenerator"/> session (hash-chained, upstream format), so list, cost,
/// baseline and audit-readiness see real stores' shapes.
/// </summary>
public static class StoreGenerator
{
    public const double Start = 1790000000;

    public static int Generate(string storeDir, int count, int seed)
    {
        var rnd = new Random(seed);
        string previous = "";
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            int calls = rnd.Next(0, 41);
            string parent = i % 10 == 9 ? previous : "";
            string sid = SessionGenerator.Generate(storeDir, calls, seed * 1_000_003 + i, Start + i * 900.0, meta =>
            {
                if (parent.Length > 0)
                {
                    meta.ParentSessionId = parent;
                    meta.Depth = 1;
                }
            });
            bytes += new FileInfo(Path.Combine(storeDir, sid, "events.ndjson")).Length;
            previous = sid;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} sessions, {bytes / 1e6:0.0} MB of events in {storeDir}"));
        return 0;
    }
}
