namespace AgentStrace.Compliance;

/// <summary>
/// The outcome of <see cref="ChainVerifier"/> for one session. <see cref="Ok"/>, <see cref="TotalEvents"/>,
/// <see cref="BrokenAt"/> and <see cref="BrokenEventId"/> are upstream's <c>ChainVerifyResult</c>.
/// </summary>
public sealed record ChainResult
{
    public required string SessionId { get; init; }
    public required bool Ok { get; init; }
    /// <summary>Number of lines that are events (JSON objects). Upstream counted every non-blank line; a torn or
    /// garbage line is reported in <see cref="UnparsableLines"/> instead of passing for an event.</summary>
    public required int TotalEvents { get; init; }
    /// <summary>0-based index into the non-blank lines of the first broken link; null when ok.</summary>
    public int? BrokenAt { get; init; }
    public string BrokenEventId { get; init; } = "";
    /// <summary>1-based line number in events.ndjson of the first broken link (0 when not applicable).</summary>
    public long BrokenLine { get; init; }
    public required ChainStatus Status { get; init; }
    /// <summary>Parsable lines after the first that carry no <c>prev_hash</c>.</summary>
    public int UnlinkedEvents { get; init; }
    /// <summary>Non-blank lines that are not JSON objects (skipped by the chain, as upstream does).</summary>
    public int UnparsableLines { get; init; }
    /// <summary>1-based line numbers of the first (up to 20) unparsable lines.</summary>
    public IReadOnlyList<long> UnparsableLineNumbers { get; init; } = [];
    /// <summary>The last line when it is unparsable and has no newline (a crash during append), else 0.</summary>
    public long TornTailLine { get; init; }
    /// <summary>SHA-256 of the last non-blank line ("" when none): the EU AI Act package's root_hash.</summary>
    public string RootHash { get; init; } = "";
    /// <summary>Why the chain is broken, for people.</summary>
    public string Reason { get; init; } = "";
}
