namespace AgentStrace.Compliance;

/// <summary>The outcome of <see cref="PackageVerifier"/>; the first four members are upstream's result keys.</summary>
public sealed class PackageVerifyResult
{
    public const int MaxListedProblems = 200;

    public bool Ok => Problems.Count == 0 && MoreProblems == 0;
    public int CheckedSessions { get; set; }
    public long CheckedEvents { get; set; }
    /// <summary>Upstream's failures: chain links broken inside the package.</summary>
    public IEnumerable<PackageProblem> LinkFailures => Problems.Where(p => p.Link);
    public List<PackageProblem> Problems { get; } = [];
    /// <summary>Problems found beyond <see cref="MaxListedProblems"/>.</summary>
    public int MoreProblems { get; set; }
    public bool ManifestOk { get; set; }
    /// <summary>The hash recomputed over the file ("" when the file could not be read to the manifest).</summary>
    public string ManifestComputed { get; set; } = "";
    public string ManifestRecorded { get; set; } = "";

    public void Add(PackageProblem p)
    {
        if (Problems.Count < MaxListedProblems) Problems.Add(p); else MoreProblems++;
    }
}
