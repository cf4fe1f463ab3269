using AgentStrace.Analysis;
using AgentStrace.Analysis.Baseline;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Errors;
using AgentStrace.Model;
using AgentStrace.Output;
using AgentStrace.Store;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

/// <summary>Statistical baseline of session metrics and anomaly checks against it.</summary>
internal sealed class BaselineCommands
{
    /// <summary>Build the baseline from recent ended sessions and save it (default &lt;store&gt;/baseline.json).</summary>
    /// <param name="sessions">Use at most this many of the newest sessions.</param>
    /// <param name="since">Only sessions started at or after: 30d, 24h, 2026-01-31 (a bare number is days, as upstream).</param>
    /// <param name="output">-o, Baseline file to write (alias: --baseline).</param>
    /// <param name="baseline">Baseline file to write (same as --output).</param>
    /// <param name="pricing">JSON pricing file for cost_usd (merged over the built-in table).</param>
    public int Update(int sessions = 50, string? since = null, string? output = null, string? baseline = null, string? pricing = null,
        CancellationToken cancellationToken = default)
    {
        TraceStore store = Cli.OpenStore();
        string path = output ?? baseline ?? BaselineStore.DefaultPath(store);
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.Load(store.Root, pricing))) { Cancellation = cancellationToken };
        SessionBaseline built = BaselineStore.Update(store, analyzer, sessions, TimeBound.ParseOptional(since, "--since"), path, Clock.Now(), Output.Text.Warn, cancellationToken);
        Console.Out.WriteLine($"Baseline updated: {built.SessionCount} sessions, {built.Groups.Count} agent/model group(s), saved to {path}");
        if (built.SessionCount < SessionBaseline.MinSessions)
        {
            Output.Text.Warn($"only {built.SessionCount} session(s): 'baseline check' needs at least {SessionBaseline.MinSessions}.");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Check a session against the baseline; exits 1 when any metric is outside the expected band (a CI gate).</summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session).</param>
    /// <param name="threshold">-t, Flag metrics more than this many standard deviations from the centre (default 2.0).</param>
    /// <param name="sigma">Same as --threshold (upstream flag).</param>
    /// <param name="method">robust (median and MAD×1.4826, default) or stddev (mean and standard deviation).</param>
    /// <param name="format">-f, text or json.</param>
    /// <param name="baseline">Baseline file (default: &lt;store&gt;/baseline.json).</param>
    /// <param name="pricing">JSON pricing file for cost_usd (use the same as for update).</param>
    public int Check([Argument] string? sessionId = null, double? threshold = null, double? sigma = null, string method = "robust",
        string format = "text", string? baseline = null, string? pricing = null, CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "baseline check");
        FlagChecks.Baseline(threshold, sigma);
        BaselineMethod m = Choices.BaselineMethod.Parse(method);
        TraceStore store = Cli.OpenStore();
        SessionBaseline loaded = BaselineJson.Load(baseline ?? BaselineStore.DefaultPath(store), cancellationToken);
        var analyzer = new SessionAnalyzer(CostOptions.Default(PricingTable.Load(store.Root, pricing)))
        {
            OnMalformed = e => Output.Text.Warn(e.ToString()), Cancellation = cancellationToken,
        };
        SessionMetrics session = analyzer.Analyze(store.FindOrLatest(sessionId, cancellationToken)).Metrics;
        BaselineCheck check = BaselineCheck.Run(loaded, session, threshold ?? sigma ?? 2.0, m);
        using var stdout = StreamBufferWriter.Stdout();
        if (view == ViewFormat.Json) BaselineReport.CheckJson(check, stdout);
        else BaselineReport.CheckText(check, stdout);
        return check.Anomalous ? ExitCodes.Found : ExitCodes.Ok;
    }

    /// <summary>Show the baseline: mean and standard deviation per metric beside the median and robust spread.</summary>
    /// <param name="format">-f, text or json.</param>
    /// <param name="baseline">Baseline file (default: &lt;store&gt;/baseline.json).</param>
    public int Show(string format = "text", string? baseline = null, CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "baseline show");
        TraceStore store = Cli.OpenStore();
        string path = baseline ?? BaselineStore.DefaultPath(store);
        SessionBaseline loaded = BaselineJson.Load(path, cancellationToken);
        using var stdout = StreamBufferWriter.Stdout();
        if (view == ViewFormat.Json) BaselineReport.ShowJson(loaded, stdout);
        else BaselineReport.ShowText(loaded, path, stdout);
        return ExitCodes.Ok;
    }
}
