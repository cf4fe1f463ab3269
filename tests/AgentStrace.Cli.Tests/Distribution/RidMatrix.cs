using System.Text.Json;
using System.Xml.Linq;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

public sealed record RidTarget(string Rid, string Os, string Archive, string Exe, string Container, bool HostBuild, long SizeBaseline);

/// <summary>rid-matrix.json (the single list of shipped targets) and the version from Directory.Build.props.</summary>
public static class RidMatrix
{
    public static string Repository { get; }
    public static IReadOnlyList<RidTarget> Targets { get; }

    /// <summary>How much a binary may grow over its <see cref="RidTarget.SizeBaseline"/> (house rule: 10%).</summary>
    public static double SizeGrowthLimit { get; }

    public static string Version { get; } = XDocument.Load(Path.Combine(Repo.Root, "Directory.Build.props"))
        .Descendants("Version").Single().Value.Trim();

    static RidMatrix()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rid-matrix.json")));
        Repository = doc.RootElement.GetProperty("repository").GetString()!;
        Targets = doc.RootElement.GetProperty("targets").EnumerateArray().Select(t => new RidTarget(
            t.GetProperty("rid").GetString()!, t.GetProperty("os").GetString()!, t.GetProperty("archive").GetString()!,
            t.GetProperty("exe").GetString()!, t.GetProperty("container").GetString()!, t.GetProperty("hostBuild").GetBoolean(),
            t.TryGetProperty("sizeBaseline", out JsonElement b) ? b.GetInt64() : 0)).ToList();
        SizeGrowthLimit = doc.RootElement.GetProperty("sizeGrowthLimit").GetDouble();
    }
}
