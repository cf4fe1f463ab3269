using AgentStrace.Analysis;
using AgentStrace.Capture.Redaction;
using AgentStrace.Compliance;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Tests.Capture;

/// <summary>Checks shared by the import tests of every agent: what an import stored was redacted once, completely.</summary>
internal static class StoredRedaction
{
    public static async Task AssertChain(SessionInfo s) => await Assert.That(ChainVerifier.Verify(s).Ok).IsTrue();

    public static List<TraceEvent> Events(SessionInfo s)
    {
        var list = new List<TraceEvent>();
        using var reader = new EventReader(s.EventsPath);
        while (reader.TryRead(out TraceEvent e)) list.Add(e);
        return list;
    }

    /// <summary>The chain verifies, a second redaction pass changes no event and the flag marks exactly the redacted
    /// events; returns how many those are.</summary>
    public static async Task<int> AssertRedactedOnce(SessionInfo s)
    {
        await AssertChain(s);
        int flagged = 0;
        foreach (TraceEvent e in Events(s))
        {
            // A second pass over what the import stored changes nothing: the one pass was complete.
            TraceEvent again = Redactor.On.Apply(e);
            await Assert.That(System.Text.Encoding.UTF8.GetString(again.Data.Raw.Span)).IsEqualTo(System.Text.Encoding.UTF8.GetString(e.Data.Raw.Span));
            bool marked = e.Data.Raw.Span.IndexOf("[REDACTED"u8) >= 0;
            await Assert.That(e.Redacted).IsEqualTo(marked);
            if (marked) flagged++;
        }
        return flagged;
    }

    /// <summary>Redaction touches texts, never what is billed: the same sessions, cost, calls and tokens in both stores.
    /// Returns the sessions' ledgers of <paramref name="redacted"/> by id.</summary>
    public static async Task<Dictionary<string, global::AgentStrace.Analysis.Reports.SessionLedger>> AssertSameBilling(TraceStore redacted, TraceStore plain)
    {
        CostOptions options = CostOptions.Default(global::AgentStrace.Analysis.Pricing.PricingTable.BuiltIn());
        List<SessionInfo> onList = redacted.List(), offList = plain.List();
        var on = global::AgentStrace.Analysis.Reports.SessionLedger.Build(onList, onList, options, null).ToDictionary(l => l.Session.Id);
        var off = global::AgentStrace.Analysis.Reports.SessionLedger.Build(offList, offList, options, null).ToDictionary(l => l.Session.Id);
        await Assert.That(on.Keys.Order().ToArray()).IsEquivalentTo(off.Keys.Order().ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        foreach (var (id, l) in on)
        {
            await Assert.That(l.Cost.TotalUsd).IsEqualTo(off[id].Cost.TotalUsd);
            await Assert.That(l.Cost.Calls).IsEqualTo(off[id].Cost.Calls);
            await Assert.That((l.Cost.InputTokens, l.Cost.OutputTokens, l.Cost.CacheWriteTokens, l.Cost.CacheReadTokens))
                .IsEqualTo((off[id].Cost.InputTokens, off[id].Cost.OutputTokens, off[id].Cost.CacheWriteTokens, off[id].Cost.CacheReadTokens));
        }
        return on;
    }

    // Secrets of four rules: a GitHub token, an AWS key id, an Anthropic key and a password under a sensitive key.
    public const string Github = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    public const string Aws = "AKIAABCDEFGHIJKLMNOP";
    public const string Anthropic = "sk-ant-api03-abcdefghijklmnopqrstuv";
    public const string Password = "hunter2-correct-horse";
}
