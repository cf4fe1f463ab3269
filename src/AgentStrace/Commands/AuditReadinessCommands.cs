using AgentStrace.Compliance;
using AgentStrace.Errors;
using AgentStrace.Model;
using AgentStrace.Output;

namespace AgentStrace.Cli.Commands;

internal sealed class AuditReadinessCommands
{
    /// <summary>Score the store for an EU AI Act review (chain integrity, retention, continuity, chain presence); exit 0 only when ready.</summary>
    /// <param name="retentionDays">Days of history the retention check requires.</param>
    /// <param name="format">-f, text or json.</param>
    public int AuditReadiness(double retentionDays = 90, string format = "text", CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "audit-readiness");
        FlagChecks.Range("--retention-days", retentionDays, 0, 1_000_000, "days"); // 1e20 days is no policy, only a typo
        ReadinessReport report = Compliance.AuditReadiness.Build(Cli.OpenStore(), retentionDays, Clock.Now(), Output.Text.Warn, cancellationToken);
        using var stdout = StreamBufferWriter.Stdout();
        if (view == ViewFormat.Json) ReadinessView.Json(report, stdout); else ReadinessView.Text(report, stdout);
        return report.Ready ? ExitCodes.Ok : ExitCodes.Found;
    }
}
