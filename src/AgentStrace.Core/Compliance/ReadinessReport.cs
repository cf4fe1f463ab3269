namespace AgentStrace.Compliance;

/// <summary>The result of <see cref="AuditReadiness.Build"/> (spec §5.4; upstream <c>build_audit_readiness</c>).</summary>
public sealed class ReadinessReport
{
    public required double GeneratedAt { get; init; }
    public required int SessionCount { get; init; }
    public List<string> BrokenSessions { get; } = [];
    public int CheckedSessions { get; set; }
    public required double RequiredDays { get; init; }
    /// <summary>Unrounded; the report shows it rounded to 2 places as upstream does.</summary>
    public double AvailableDays { get; set; }
    public List<(string From, string To, double GapHours)> Gaps { get; } = [];
    public List<string> MissingPrevHashes { get; } = [];
    /// <summary>Lines that are not events: (session, line, torn tail), at most 20 per session.</summary>
    public List<(string Session, long Line, bool Torn)> DamagedLines { get; } = [];
    public int DamagedLineCount { get; set; }

    public bool IntegrityOk => BrokenSessions.Count == 0;
    public bool RetentionOk => SessionCount > 0 && AvailableDays >= RequiredDays;
    public bool ContinuityOk => Gaps.Count == 0;
    public bool PresenceOk => MissingPrevHashes.Count == 0;
    public bool LinesOk => DamagedLineCount == 0;

    /// <summary>100 − 35 (broken) − 20 (legacy) − 10 (gaps) − 10 (short retention) − 10 (lines that are not events:
    /// torn tails, garbage); 0 without sessions; floored at 0.</summary>
    public int Score
    {
        get
        {
            if (SessionCount == 0) return 0;
            int score = 100;
            if (!IntegrityOk) score -= 35;
            if (!PresenceOk) score -= 20;
            if (!ContinuityOk) score -= 10;
            if (AvailableDays < RequiredDays) score -= 10;
            if (!LinesOk) score -= 10;
            return Math.Max(0, score);
        }
    }

    public bool Ready => Score >= 80 && IntegrityOk;
}
