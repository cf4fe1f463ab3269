// agent-strace build script (Cake.Tool 7.0.0 as a local tool):
//   dotnet tool restore && dotnet cake build.cake --target=Package
// Targets: Clean, Build, Test, Publish, Archive, Package (default), Manifests, Release.
// The list of targets comes from rid-matrix.json; the version from <Version> in Directory.Build.props.
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;

var target = Argument("target", "Package");
var configuration = Argument("configuration", "Release");
var ridsArg = Argument("rids", "");            // comma list; default: every RID this host can build
var upload = Argument("upload", false);          // Release: create the GitHub release with gh
var root = MakeAbsolute(Directory(".")).FullPath;
var distDir = MakeAbsolute(Directory(Argument("dist", "artifacts/dist"))).FullPath;
var version = XDocument.Load(System.IO.Path.Combine(root, "Directory.Build.props"))
    .Descendants("Version").First().Value.Trim();
var matrix = JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(root, "rid-matrix.json"))).RootElement;
var project = matrix.GetProperty("project").GetString();
var repository = EnvironmentVariable("GITHUB_REPOSITORY") ?? matrix.GetProperty("repository").GetString();
var targets = matrix.GetProperty("targets").EnumerateArray().Select(t => new RidTarget(
    t.GetProperty("rid").GetString(), t.GetProperty("archive").GetString(), t.GetProperty("exe").GetString(),
    t.GetProperty("hostBuild").GetBoolean(), t.TryGetProperty("sizeBaseline", out var b) ? b.GetInt64() : 0)).ToList();
var sizeGrowthLimit = matrix.TryGetProperty("sizeGrowthLimit", out var g) ? g.GetDouble() : 0.10;
var published = new List<RidTarget>();

Information($"agent-strace {version}; targets in rid-matrix.json: {string.Join(", ", targets.Select(t => t.Rid))}");

Task("Clean").Does(() =>
{
    CleanDirectory(System.IO.Path.Combine(root, "artifacts"));
});

Task("Build").Does(() =>
{
    Run("dotnet", $"build AgentStrace.sln -c {configuration}");
});

// The README's test command, exactly.
Task("Test").Does(() =>
{
    Run("dotnet", $"publish src/AgentStrace -c {configuration} -r linux-x64 -o artifacts/bin/linux-x64");
    Run("dotnet", $"test -c {configuration}");
});

Task("Publish").Does(() =>
{
    foreach (var t in SelectRids())
    {
        string outDir = System.IO.Path.Combine(root, "artifacts", "bin", t.Rid);
        Run("dotnet", $"publish {project} -c {configuration} -r {t.Rid} -o {Quote(outDir)}");
        SmokeRun(t, System.IO.Path.Combine(outDir, t.Exe));
        CheckSize(t, System.IO.Path.Combine(outDir, t.Exe));
        published.Add(t);
    }
});

// Archives what Publish left in artifacts/bin/<rid>/ (Package runs Publish first); reproducible: the same binary
// gives the same archive bytes (fixed entry time, owner and mode; see SourceDate).
Task("Archive").Does(() =>
{
    var ready = published.Count > 0 ? published
        : SelectRids().Where(t => System.IO.File.Exists(System.IO.Path.Combine(root, "artifacts", "bin", t.Rid, t.Exe))).ToList();
    if (ready.Count == 0) throw new Exception("nothing was published for this host (see --rids)");
    CleanDirectory(distDir);
    foreach (var t in ready)
    {
        string archive = Archive(t, System.IO.Path.Combine(root, "artifacts", "bin", t.Rid, t.Exe));
        Information($"packaged {archive} ({new System.IO.FileInfo(archive).Length:N0} bytes)");
    }
    WriteSums();
});

Task("Package").IsDependentOn("Publish").IsDependentOn("Archive");

Task("Manifests").Does(() => GenerateManifests());

// Release: every RID of rid-matrix.json must be in the dist folder (the release workflow downloads them there).
Task("Release").Does(() =>
{
    var missing = targets.Where(t => !System.IO.File.Exists(System.IO.Path.Combine(distDir, ArchiveName(t)))).Select(t => t.Rid).ToList();
    if (missing.Count > 0) throw new Exception($"release incomplete: no archive for {string.Join(", ", missing)} in {distDir}");
    WriteSums();
    GenerateManifests();
    // The installers ship with each release, so the one-line install URLs resolve to the matching version.
    foreach (string script in new[] { "install.sh", "install.ps1" })
    {
        System.IO.File.Copy(System.IO.Path.Combine(root, script), System.IO.Path.Combine(distDir, script), overwrite: true);
    }
    var files = System.IO.Directory.GetFiles(distDir, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
    if (!upload)
    {
        Information($"release v{version} ready in {distDir} ({files.Count} files); not uploading (pass --upload=true)");
        return;
    }
    string assets = string.Join(" ", files.Select(Quote));
    Run("gh", $"release create v{version} --repo {repository} --title v{version} --generate-notes --verify-tag {assets}");
});

RunTarget(target);

// ---- helpers ----

// Fills packaging/**/*.template from SHA256SUMS into <dist>/homebrew and <dist>/winget; a missing checksum is an error.
void GenerateManifests()
{
    var sums = ReadSums();
    var values = new Dictionary<string, string>
    {
        ["VERSION"] = version,
        ["REPOSITORY"] = repository,
        ["BASE_URL"] = $"https://github.com/{repository}/releases/download/v{version}",
    };
    foreach (var t in targets)
    {
        string name = ArchiveName(t);
        if (sums.TryGetValue(name, out var hash)) values["SHA256_" + t.Rid.ToUpperInvariant().Replace('-', '_')] = hash;
    }
    string templates = System.IO.Path.Combine(root, "packaging");
    foreach (string template in System.IO.Directory.GetFiles(templates, "*.template", SearchOption.AllDirectories))
    {
        string text = System.IO.File.ReadAllText(template);
        var missing = System.Text.RegularExpressions.Regex.Matches(text, @"\$\{([A-Z0-9_]+)\}")
            .Select(m => m.Groups[1].Value).Where(k => !values.ContainsKey(k)).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new Exception($"{System.IO.Path.GetRelativePath(root, template)}: no value for {string.Join(", ", missing)} " +
                $"(SHA256SUMS in {distDir} lacks those archives; the release workflow builds every RID)");
        }
        foreach (var (k, v) in values) text = text.Replace("${" + k + "}", v);
        string rel = System.IO.Path.GetRelativePath(templates, template);
        string outFile = System.IO.Path.Combine(distDir, rel.Substring(0, rel.Length - ".template".Length));
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(outFile));
        System.IO.File.WriteAllText(outFile, text);
        Information($"wrote {outFile}");
    }
}

IEnumerable<RidTarget> SelectRids()
{
    if (ridsArg.Length > 0)
    {
        foreach (string rid in ridsArg.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return targets.FirstOrDefault(t => t.Rid == rid) ?? throw new Exception($"--rids: '{rid}' is not in rid-matrix.json");
        }
        yield break;
    }
    string host = RuntimeInformation.RuntimeIdentifier;
    foreach (var t in targets)
    {
        if (t.Rid == host) { yield return t; continue; }
        if (host == "linux-x64" && t.HostBuild && t.Rid == "linux-arm64")
        {
            if (HasArm64CrossToolchain()) yield return t;
            else Warning("skipping linux-arm64: cross toolchain missing (see docs/install.md, 'Build from source')");
            continue;
        }
        Verbose($"skipping {t.Rid}: built by the release workflow on its native runner");
    }
}

// clang + lld link, binutils/gcc for aarch64 give the crt files, zlib1g-dev:arm64 the libz the runtime links.
bool HasArm64CrossToolchain() =>
    OnPath("clang") && OnPath("aarch64-linux-gnu-gcc") && System.IO.File.Exists("/usr/lib/aarch64-linux-gnu/libz.a");

bool OnPath(string exe) => (EnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
    .Any(d => d.Length > 0 && System.IO.File.Exists(System.IO.Path.Combine(d, exe)));

void SmokeRun(RidTarget t, string exe)
{
    string host = RuntimeInformation.RuntimeIdentifier;
    string runner = t.Rid == host ? exe : t.Rid == "linux-arm64" && OnPath("qemu-aarch64") ? "qemu-aarch64" : null;
    if (runner is null) { Warning($"{t.Rid}: cannot run on this host; --version smoke run skipped"); return; }
    string args = runner == exe ? "--version" : $"{Quote(exe)} --version";
    int rc = StartProcess(runner, new ProcessSettings { Arguments = args, RedirectStandardOutput = true }, out var lines);
    string printed = string.Join("", lines).Trim();
    if (rc != 0 || printed != version) throw new Exception($"{t.Rid}: '{exe} --version' printed '{printed}' (exit {rc}), expected {version}");
    Information($"{t.Rid}: --version = {printed}");
}

// House rule: a binary may not grow more than sizeGrowthLimit over its recorded baseline without someone deciding so
// (raise sizeBaseline in rid-matrix.json in the same commit, and say why).
void CheckSize(RidTarget t, string exe)
{
    long size = new System.IO.FileInfo(exe).Length;
    if (t.SizeBaseline <= 0) { Information($"{t.Rid}: {size:N0} bytes (no sizeBaseline in rid-matrix.json)"); return; }
    double growth = (double)size / t.SizeBaseline - 1;
    Information($"{t.Rid}: {size:N0} bytes ({growth:+0.0%;-0.0%} against the baseline {t.SizeBaseline:N0})");
    if (growth > sizeGrowthLimit)
    {
        throw new Exception($"{t.Rid}: the binary grew {growth:P1} over sizeBaseline in rid-matrix.json (limit {sizeGrowthLimit:P0}); find what was linked in, or raise the baseline deliberately");
    }
}

string ArchiveName(RidTarget t) => $"agent-strace-{version}-{t.Rid}.{t.Archive}";

// The time stamped into archive entries: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the time of the
// commit being built, so rebuilding a commit gives byte-identical archives (the AOT binary itself is deterministic).
DateTimeOffset? sourceDate = null;
DateTimeOffset SourceDate() => sourceDate ??= ReadSourceDate();

DateTimeOffset ReadSourceDate()
{
    string epoch = EnvironmentVariable("SOURCE_DATE_EPOCH");
    if (string.IsNullOrEmpty(epoch))
    {
        int rc = StartProcess("git", new ProcessSettings { Arguments = "log -1 --format=%ct", RedirectStandardOutput = true, WorkingDirectory = root }, out var lines);
        epoch = rc == 0 ? lines.FirstOrDefault()?.Trim() : null;
    }
    return long.TryParse(epoch, out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

string Archive(RidTarget t, string exe)
{
    string path = System.IO.Path.Combine(distDir, ArchiveName(t));
    DateTimeOffset stamp = SourceDate();
    if (t.Archive == "zip")
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var zipEntry = zip.CreateEntryFromFile(exe, t.Exe, CompressionLevel.Optimal);
        zipEntry.LastWriteTime = stamp;
        return path;
    }
    using (var file = System.IO.File.Create(path))
    using (var gz = new GZipStream(file, CompressionLevel.Optimal))
    // ustar, not pax: .NET names pax extended headers after the process id, which would differ between runs.
    using (var tar = new TarWriter(gz, TarEntryFormat.Ustar))
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, t.Exe)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            ModificationTime = stamp,
        };
        using var data = System.IO.File.OpenRead(exe);
        entry.DataStream = data;
        tar.WriteEntry(entry);
    }
    return path;
}

// SHA256SUMS in the format of `sha256sum` (two spaces, binary-safe names), sorted; plus `latest` = the version.
void WriteSums()
{
    var archives = System.IO.Directory.GetFiles(distDir, "agent-strace-*")
        .Where(f => f.EndsWith(".tar.gz") || f.EndsWith(".zip")).OrderBy(f => f, StringComparer.Ordinal).ToList();
    if (archives.Count == 0) throw new Exception($"no archives in {distDir}");
    var lines = archives.Select(f =>
    {
        using var s = System.IO.File.OpenRead(f);
        return Convert.ToHexString(SHA256.HashData(s)).ToLowerInvariant() + "  " + System.IO.Path.GetFileName(f);
    });
    System.IO.File.WriteAllText(System.IO.Path.Combine(distDir, "SHA256SUMS"), string.Join("\n", lines) + "\n");
    System.IO.File.WriteAllText(System.IO.Path.Combine(distDir, "latest"), version + "\n");
    Information($"wrote {System.IO.Path.Combine(distDir, "SHA256SUMS")} ({archives.Count} archives)");
}

Dictionary<string, string> ReadSums()
{
    string path = System.IO.Path.Combine(distDir, "SHA256SUMS");
    if (!System.IO.File.Exists(path)) throw new Exception($"{path} not found (run --target=Package or Release first)");
    return System.IO.File.ReadAllLines(path).Where(l => l.Length > 66)
        .ToDictionary(l => l.Substring(66).TrimStart('*'), l => l.Substring(0, 64));
}

void Run(string exe, string args)
{
    Information($"> {exe} {args}");
    int rc = StartProcess(exe, new ProcessSettings { Arguments = args, WorkingDirectory = root });
    if (rc != 0) throw new Exception($"'{exe} {args}' failed with exit code {rc}");
}

static string Quote(string s) => "\"" + s + "\"";

public sealed class RidTarget
{
    public RidTarget(string rid, string archive, string exe, bool hostBuild, long sizeBaseline)
    {
        Rid = rid; Archive = archive; Exe = exe; HostBuild = hostBuild; SizeBaseline = sizeBaseline;
    }
    public string Rid { get; }
    public string Archive { get; }
    public string Exe { get; }
    public bool HostBuild { get; }
    public long SizeBaseline { get; }
}
