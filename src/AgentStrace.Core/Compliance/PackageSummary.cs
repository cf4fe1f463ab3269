namespace AgentStrace.Compliance;

/// <summary>What <see cref="EuAiActPackage.Write"/> produced.</summary>
public sealed record PackageSummary(string ManifestSha256, int Sessions, long Events);
