using System.Text.RegularExpressions;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>rid-matrix.json is the one list of targets: the workflow, build.cake, installers and templates agree with it.</summary>
public sealed partial class ReleaseMatrixTests
{
    private static string Read(string relative) => File.ReadAllText(Path.Combine(Repo.Root, relative));
    private static readonly string[] s_shipped = ["linux-x64", "linux-arm64", "linux-musl-x64", "linux-musl-arm64", "osx-x64", "osx-arm64", "win-x64", "win-arm64"];

    // GitHub-hosted runner labels that exist for each OS/arch (native runners only: no cross-OS AOT).
    private static readonly Dictionary<string, string[]> s_nativeRunners = new()
    {
        ["linux-x64"] = ["ubuntu-24.04", "ubuntu-22.04", "ubuntu-latest"],
        ["linux-arm64"] = ["ubuntu-24.04-arm", "ubuntu-22.04-arm"],
        ["osx-x64"] = ["macos-15-intel", "macos-13"],
        ["osx-arm64"] = ["macos-15", "macos-14", "macos-latest"],
        ["win-x64"] = ["windows-2025", "windows-2022", "windows-latest"],
        ["win-arm64"] = ["windows-11-arm"],
    };

    [Test]
    public async Task RidMatrix_ListsEveryShippedTarget_WithConsistentFields()
    {
        await Assert.That(RidMatrix.Targets.Select(t => t.Rid)).IsEquivalentTo(s_shipped, TUnit.Assertions.Enums.CollectionOrdering.Any); // the set of targets, listed in any order
        foreach (var t in RidMatrix.Targets)
        {
            bool win = t.Rid.StartsWith("win-");
            await Assert.That(t.Archive).IsEqualTo(win ? "zip" : "tar.gz");
            await Assert.That(t.Exe).IsEqualTo(win ? "agent-strace.exe" : "agent-strace");
            string native = t.Rid.Replace("-musl", "");
            await Assert.That(s_nativeRunners[native]).Contains(t.Os).Because($"{t.Rid} must build on a native {native} runner, not {t.Os}");
            await Assert.That(t.Container.Length > 0).IsEqualTo(t.Rid.Contains("musl")).Because("musl targets build inside Alpine");
            await Assert.That(t.HostBuild).IsEqualTo(t.Rid is "linux-x64" or "linux-arm64");
        }
    }

    [Test]
    public async Task ReleaseWorkflow_MatrixComesFromRidMatrixJson()
    {
        string yml = Read(".github/workflows/release.yml");
        await Assert.That(yml).Contains("jq -c '{include: .targets}' rid-matrix.json");
        await Assert.That(yml).Contains("matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}");
        await Assert.That(yml).Contains("runs-on: ${{ matrix.os }}");
        // No target is spelled out in the workflow, so it cannot drift from rid-matrix.json.
        foreach (string rid in s_shipped) await Assert.That(yml).DoesNotContain(rid);
        // Every field the workflow reads from a matrix entry exists in rid-matrix.json.
        string[] fields = ["rid", "os", "exe", "archive", "container"];
        foreach (Match m in MatrixField().Matches(yml)) await Assert.That(fields).Contains(m.Groups[1].Value);
        await Assert.That(yml).Contains("--version").And.Contains("SHA256SUMS").And.Contains("--target=Release");
        await Assert.That(yml).Contains("agent-strace-${VERSION}-${RID}.${ARCHIVE}");
    }

    [Test]
    public async Task ReleaseWorkflow_EveryActionPinnedBySha()
    {
        string yml = Read(".github/workflows/release.yml");
        var uses = Uses().Matches(yml).Select(m => m.Groups[1].Value).ToList();
        await Assert.That(uses).IsNotEmpty();
        foreach (string u in uses) await Assert.That(u).Matches("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$");
    }

    [Test]
    public async Task Installers_SupportedRids_MatchRidMatrix()
    {
        string sh = Read("install.sh");
        string shList = Regex.Match(sh, "SUPPORTED_RIDS=\"([^\"]+)\"").Groups[1].Value;
        await Assert.That(shList.Split(' ')).IsEquivalentTo(RidMatrix.Targets.Where(t => !t.Rid.StartsWith("win-")).Select(t => t.Rid), TUnit.Assertions.Enums.CollectionOrdering.Any); // the set of targets, listed in any order
        string ps1 = Read("install.ps1");
        string psList = Regex.Match(ps1, @"\$SupportedRids = @\(([^)]+)\)").Groups[1].Value;
        await Assert.That(psList.Split(',').Select(s => s.Trim().Trim('\'')))
            .IsEquivalentTo(RidMatrix.Targets.Where(t => !t.Rid.Contains("musl")).Select(t => t.Rid), TUnit.Assertions.Enums.CollectionOrdering.Any); // the set of targets, listed in any order
        await Assert.That(sh).Contains($"REPO=\"{RidMatrix.Repository}\"");
        await Assert.That(ps1).Contains($"$Repo = '{RidMatrix.Repository}'");
    }

    [Test]
    public async Task PackagingTemplates_OnlyUseRidsFromMatrix()
    {
        var keys = RidMatrix.Targets.Select(t => "SHA256_" + t.Rid.ToUpperInvariant().Replace('-', '_')).ToHashSet();
        string[] templates = Directory.GetFiles(Path.Combine(Repo.Root, "packaging"), "*.template", SearchOption.AllDirectories);
        await Assert.That(templates.Length).IsEqualTo(4);
        foreach (string f in templates)
        {
            foreach (Match m in Placeholder().Matches(File.ReadAllText(f)))
            {
                string k = m.Groups[1].Value;
                await Assert.That(k is "VERSION" or "REPOSITORY" or "BASE_URL" || keys.Contains(k)).IsTrue().Because($"{Path.GetFileName(f)}: ${{{k}}}");
            }
        }
    }

    [Test]
    public async Task BuildCake_ReadsRidMatrixAndVersionFromOnePlace()
    {
        string cake = Read("build.cake");
        await Assert.That(cake).Contains("rid-matrix.json").And.Contains("Directory.Build.props");
        string tools = Read(".config/dotnet-tools.json");
        await Assert.That(tools).Contains("\"cake.tool\"").And.Contains("\"7.0.0\"");
    }

    [GeneratedRegex(@"(?<![\w.-])matrix\.([a-zA-Z]+)")]
    private static partial Regex MatrixField();

    [GeneratedRegex(@"uses:\s*([^\s#]+)")]
    private static partial Regex Uses();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
