using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Analysis.Reports;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Analysis;

/// <summary>
/// <see cref="SessionLedger.Read"/> passes over tool events unparsed once a model call has priced the session; its
/// figures must equal a full read's (<see cref="SessionAnalyzer"/>) for every session shape.
/// </summary>
public sealed class LedgerReadTests
{
    private const string Tools =
        """
        {"event_type":"tool_call","timestamp":1778000002.0,"event_id":"c1","session_id":"S","data":{"tool_name":"Bash","arguments":{"command":"make \u00e9t\u00e9"}}}
        {"event_type":"tool_result","timestamp":1778000003.0,"event_id":"r1","session_id":"S","parent_id":"c1","data":{"result":"ok, 3 passed"}}
        {"event_type":"assistant_response","timestamp":1778000004.0,"event_id":"a1","session_id":"S","data":{"text":"done \ud83d\ude00"}}

        """;

    [Test]
    [Arguments("priced", """{"event_type":"llm_request","timestamp":1778000001.0,"event_id":"q1","session_id":"S","data":{"model":"claude-sonnet-4-5"}}""" + "\n"
        + """{"event_type":"llm_response","timestamp":1778000001.5,"event_id":"p1","session_id":"S","parent_id":"q1","data":{"model":"claude-sonnet-4-5","usage":{"input_tokens":900,"output_tokens":40}}}""" + "\n", false)]
    [Arguments("request-without-usage", """{"event_type":"llm_request","timestamp":1778000001.0,"event_id":"q1","session_id":"S","data":{"model":"claude-sonnet-4-5","messages":"hello there"}}""" + "\n", false)]
    [Arguments("no-model-call", "", false)]
    [Arguments("forced-heuristic", """{"event_type":"llm_request","timestamp":1778000001.0,"event_id":"q1","session_id":"S","data":{"model":"claude-sonnet-4-5"}}""" + "\n"
        + """{"event_type":"llm_response","timestamp":1778000001.5,"event_id":"p1","session_id":"S","parent_id":"q1","data":{"usage":{"input_tokens":900,"output_tokens":40}}}""" + "\n", true)]
    public async Task SkippingRead_PricesAsAFullRead(string name, string modelCalls, bool heuristic)
    {
        using var dir = new TempDir();
        string session = Path.Combine(dir.Path, name);
        Directory.CreateDirectory(session);
        string start = """{"event_type":"user_prompt","timestamp":1778000000.0,"event_id":"u1","session_id":"S","data":{"prompt":"fix the build"}}""" + "\n";
        File.WriteAllText(Path.Combine(session, "events.ndjson"), start + modelCalls + Tools + Tools.Replace("c1", "c2", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(session, "meta.json"), $$"""{"session_id": "{{name}}", "started_at": 1778000000.0}""");
        SessionInfo info = new TraceStore(dir.Path).Find(name);
        PricingTable table = PricingTable.BuiltIn();
        CostOptions options = heuristic ? CostOptions.FromFlags(table, null, null, null, true) : CostOptions.Default(table);

        SessionCost full = new SessionAnalyzer(options).Analyze(info).Cost;
        SessionCost ledger = SessionLedger.Read(info, options, null).Cost;

        await Assert.That(ledger.Method).IsEqualTo(full.Method);
        await Assert.That(ledger.InputTokens).IsEqualTo(full.InputTokens);
        await Assert.That(ledger.OutputTokens).IsEqualTo(full.OutputTokens);
        await Assert.That(ledger.TotalUsd).IsEqualTo(full.TotalUsd);
        await Assert.That(ledger.InputTokens + ledger.OutputTokens).IsGreaterThan(0L);
    }
}
