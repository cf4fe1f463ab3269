namespace AgentStrace.Json.Documents;

// The --format json outputs of verify and audit-readiness, in the Python tool's key order and json.dumps bytes
// (indent 2, ASCII escapes, 90.0 for a whole float), with this tool's extra keys after upstream's.

/// <summary>One session's chain in <c>verify --format json</c> (and each entry of <c>verify --all</c>).</summary>
[JsonDocument(Python = true)]
public sealed partial class ChainDocument
{
    public required string SessionId { get; init; }
    public bool Ok { get; init; }
    public int TotalEvents { get; init; }
    [JsonKeepNull]
    public int? BrokenAt { get; init; }
    public required string BrokenEventId { get; init; }
    public required string Status { get; init; }
    [JsonKeepNull]
    public long? BrokenLine { get; init; }
    public required string Reason { get; init; }
    public int UnlinkedEvents { get; init; }
    public int UnparsableLines { get; init; }
    public required List<long> UnparsableLineNumbers { get; init; }
    [JsonKeepNull]
    public long? TornTailLine { get; init; }
    public required string RootHash { get; init; }
}

/// <summary><c>verify --all --format json</c>.</summary>
[JsonDocument(Python = true)]
public sealed partial class ChainsDocument
{
    public bool Ok { get; init; }
    public int CheckedSessions { get; init; }
    public required List<string> BrokenSessions { get; init; }
    public required List<ChainDocument> Sessions { get; init; }
}

/// <summary><c>verify --from-export FILE --format json</c>: upstream's keys, then the package checks.</summary>
[JsonDocument(Python = true)]
public sealed partial class PackageCheckDocument
{
    public bool Ok { get; init; }
    public int CheckedSessions { get; init; }
    public long CheckedEvents { get; init; }
    public required List<PackageProblemDocument> Failures { get; init; }
    public bool ManifestOk { get; init; }
    [JsonName("manifest_sha256")]
    public required string ManifestSha256 { get; init; }
    public required string ManifestComputed { get; init; }
    public required List<PackageProblemDocument> Problems { get; init; }
    public int ProblemsNotListed { get; init; }
}

/// <summary>A problem in a package; upstream's failures name the event only (<see cref="Field"/> and <see cref="Message"/> null).</summary>
[JsonDocument(Python = true)]
public sealed partial class PackageProblemDocument
{
    public required string SessionId { get; init; }
    [JsonKeepNull]
    public long? Seq { get; init; }
    public required string EventId { get; init; }
    public string? Field { get; init; }
    public string? Message { get; init; }
}

/// <summary><c>audit-readiness --format json</c>.</summary>
[JsonDocument(Python = true)]
public sealed partial class ReadinessDocument
{
    public string Framework { get; } = "eu-ai-act";
    public List<string> ArticlesChecked { get; } = ["Article 12", "Article 13"];
    [JsonKeepNull]
    public string? GeneratedAt { get; init; }
    public int SessionCount { get; init; }
    public required ReadinessChecksDocument Checks { get; init; }
    public int ComplianceScore { get; init; }
    public bool Ready { get; init; }
}

[JsonDocument(Python = true)]
public sealed partial class ReadinessChecksDocument
{
    public required IntegrityCheckDocument HashChainIntegrity { get; init; }
    public required LineCheckDocument LineIntegrity { get; init; }
    public required RetentionCheckDocument RetentionCoverage { get; init; }
    public required ContinuityCheckDocument TimestampContinuity { get; init; }
    public required PresenceCheckDocument HashChainPresence { get; init; }
}

// Each check: "ok", then (beyond upstream) "action" when it fails, then its own figures.

[JsonDocument(Python = true)]
public sealed partial class IntegrityCheckDocument
{
    public bool Ok { get; init; }
    public string? Action { get; init; }
    public int CheckedSessions { get; init; }
    public required List<string> BrokenSessions { get; init; }
}

[JsonDocument(Python = true)]
public sealed partial class LineCheckDocument
{
    public bool Ok { get; init; }
    public string? Action { get; init; }
    public int DamagedLines { get; init; }
    public required List<DamagedLineDocument> Lines { get; init; }
}

[JsonDocument(Python = true)]
public sealed partial class DamagedLineDocument
{
    public required string SessionId { get; init; }
    public long Line { get; init; }
    public required string Kind { get; init; }
}

[JsonDocument(Python = true)]
public sealed partial class RetentionCheckDocument
{
    public bool Ok { get; init; }
    public string? Action { get; init; }
    public double RequiredDays { get; init; }
    public double AvailableDays { get; init; }
}

[JsonDocument(Python = true)]
public sealed partial class ContinuityCheckDocument
{
    public bool Ok { get; init; }
    public string? Action { get; init; }
    [JsonName("gaps_over_24h")]
    public required List<GapDocument> GapsOver24h { get; init; }
}

[JsonDocument(Python = true)]
public sealed partial class GapDocument
{
    public required string FromSession { get; init; }
    public required string ToSession { get; init; }
    public double GapHours { get; init; }
}

[JsonDocument(Python = true)]
public sealed partial class PresenceCheckDocument
{
    public bool Ok { get; init; }
    public string? Action { get; init; }
    public required List<string> SessionsMissingPrevHashes { get; init; }
}
