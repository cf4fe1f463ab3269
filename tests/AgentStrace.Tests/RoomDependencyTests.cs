using System.Text.RegularExpressions;
using AgentStrace.Testing;

namespace AgentStrace.Tests;

/// <summary>
/// The rooms of <c>src/AgentStrace.Core</c> depend on each other one way (docs/architecture.md, "Dependency direction"):
/// a room may use only rooms of a lower rank, read from its <c>using</c> lines and fully qualified names.
/// </summary>
public sealed partial class RoomDependencyTests
{
    // Note: a room missing from this table ranks at the top (a feature): it may use every room, and no listed room may
    // use it. Give a new lower room its rank here and in docs/architecture.md.
    private static readonly Dictionary<string, int> s_ranks = new()
    {
        ["Json"] = 0, ["Errors"] = 0,
        ["Model"] = 1,
        ["FileSystem"] = 2,
        ["Output"] = 3, ["Config"] = 3, ["Store"] = 3, ["Spans"] = 3,
        ["Otlp"] = 4, ["Capture"] = 4, ["Analysis"] = 4,
        ["Export"] = 5, ["View"] = 5,
        ["Live"] = 6, ["Langfuse"] = 6, ["Compliance"] = 6, ["Demo"] = 6,
        ["Ship"] = 7,
    };

    // Inside Otlp the encoders know nothing of the transport.
    private static readonly Dictionary<string, int> s_otlpRanks = new()
    {
        ["Protobuf"] = 0, ["Json"] = 0, ["Metrics"] = 1, ["Internal"] = 2, ["Transport"] = 3,
    };

    private const int Top = 100;

    [Test]
    public async Task CoreRooms_DependOneWay()
    {
        string core = Path.Combine(Repo.Root, "src", "AgentStrace.Core");
        var broken = new List<string>();
        foreach (string file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(core, file);
            if (relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            string text = File.ReadAllText(file);
            Match ns = NamespaceLine().Match(text);
            if (!ns.Success) continue;
            string[] own = ns.Groups[1].Value.Split('.');
            foreach (string used in UsedNamespaces(text))
            {
                string[] other = used.Split('.');
                if (!Allowed(own, other)) broken.Add($"{relative}: {string.Join('.', own)} uses AgentStrace.{used}");
            }
        }
        await Assert.That(broken).IsEmpty();
    }

    /// <summary>
    /// The wire-format room ranks above Store only so it may use Output's text helpers: encoders and transport never
    /// read the store, its configuration or what capture and analysis make of it (they see spans and metrics only).
    /// </summary>
    [Test]
    public async Task Otlp_KnowsNoStorage()
    {
        string otlp = Path.Combine(Repo.Root, "src", "AgentStrace.Core", "Otlp");
        string[] storage = ["Store", "Config", "FileSystem", "Capture", "Analysis"];
        var found = new List<string>();
        int files = 0;
        foreach (string file in Directory.EnumerateFiles(otlp, "*.cs", SearchOption.AllDirectories))
        {
            files++;
            foreach (string used in UsedNamespaces(File.ReadAllText(file)))
            {
                if (storage.Contains(used.Split('.')[0])) found.Add($"{Path.GetRelativePath(otlp, file)} uses AgentStrace.{used}");
            }
        }
        await Assert.That(files).IsGreaterThan(0);
        await Assert.That(found).IsEmpty();
    }

    private static IEnumerable<string> UsedNamespaces(string text)
    {
        foreach (Match m in UsingLine().Matches(text)) yield return m.Groups[1].Value;
        string code = CommentOrString().Replace(text, "");
        foreach (Match m in QualifiedName().Matches(code)) yield return m.Groups[1].Value;
        // Inside namespace AgentStrace.X, "Live.Watchdog.Postmortem.Read" names AgentStrace.Live.Watchdog without a using.
        foreach (Match m in RelativeName().Matches(code))
        {
            if (s_ranks.ContainsKey(m.Groups[1].Value)) yield return m.Groups[1].Value + m.Groups[2].Value;
        }
    }

    private static bool Allowed(string[] own, string[] other)
    {
        if (own[0] == other[0])
        {
            if (own[0] != "Otlp" || own.Length < 2 || other.Length < 2 || own[1] == other[1]) return true;
            return s_otlpRanks.GetValueOrDefault(other[1], Top) < s_otlpRanks.GetValueOrDefault(own[1], Top);
        }
        return s_ranks.GetValueOrDefault(other[0], Top) < s_ranks.GetValueOrDefault(own[0], Top);
    }

    [GeneratedRegex(@"^namespace AgentStrace\.([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using AgentStrace\.([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    // Fully qualified uses such as AgentStrace.Live.Watchdog.X or global::AgentStrace.Export.Y in code.
    [GeneratedRegex(@"(?<![\w.])(?:global::)?AgentStrace\.((?:[A-Z]\w*\.)*?[A-Z]\w*)\.[A-Z]\w*\b")]
    private static partial Regex QualifiedName();

    // Room.Type.Member or Room.Sub.Type.Member at the start of an expression (not after a dot, so member access on a
    // property that shares a room's name, like call.Model.Length, is not counted).
    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)((?:\.[A-Z]\w*)*?)\.[A-Z]\w*\.[A-Z]\w*")]
    private static partial Regex RelativeName();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
