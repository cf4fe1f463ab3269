using System.Text.RegularExpressions;

namespace AgentStrace.View;

/// <summary>
/// One short line for a tool's result, as a person would say it: <c>exit 1: 2 failed</c> for a failing test run,
/// <c>42 lines</c> for a read, the output's last line otherwise. Python dict results (upstream's hook captures) are
/// read for their stdout/stderr or file fields rather than shown as a dict.
/// </summary>
public static partial class ResultSummary
{
    public static string Of(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return "";
        if (text[0] == '{' && PyLiteral.TryParseDict(text, out var dict)) return OfDict(dict);
        return OfText(text);
    }

    private static string OfDict(Dictionary<string, object?> d)
    {
        if (d.ContainsKey("stdout") || d.ContainsKey("stderr"))
        {
            string output = (Str(d, "stdout") + "\n" + Str(d, "stderr")).Trim();
            string s = OfText(output);
            return d.TryGetValue("interrupted", out object? i) && i is true ? Join("interrupted", s) : s;
        }
        if (d.TryGetValue("file", out object? f) && f is Dictionary<string, object?> file && file.TryGetValue("numLines", out object? n) && n is double lines)
        {
            return $"{lines:0} lines";
        }
        string path = Str(d, "filePath");
        if (path.Length > 0)
        {
            string verb = Str(d, "type") == "create" ? "wrote" : d.ContainsKey("oldString") || d.ContainsKey("structuredPatch") ? "edited" : "ok";
            return verb + " " + Path.GetFileName(path);
        }
        foreach (object? v in d.Values)
        {
            if (v is string { Length: > 0 } s) return OfText(s);
        }
        return "ok";
    }

    private static string OfText(string text)
    {
        string exit = "";
        Match m = ExitCode().Match(text);
        if (m.Success)
        {
            exit = "exit " + m.Groups[1].Value;
            text = text[m.Length..].Trim();
        }
        string tally = TestTally(text);
        string line = tally.Length > 0 ? tally : LastLine(text, preferFirst: exit.Length == 0);
        return Join(exit, line);
    }

    /// <summary>A test runner's tally (<c>2 failed, 3 passed</c>) from anywhere in the output, failures first.</summary>
    private static string TestTally(string text)
    {
        var parts = new List<string>();
        foreach (string word in (string[])["failed", "error", "passed"])
        {
            foreach (Match m in Tally().Matches(text))
            {
                if (m.Groups[2].Value.TrimEnd('s') != word) continue;
                parts.Add(m.Value);
                break;
            }
        }
        return string.Join(", ", parts);
    }

    private static string LastLine(string text, bool preferFirst)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) return "";
        if (preferFirst && lines.Length > 3 && !lines[0].StartsWith("...", StringComparison.Ordinal)) return lines[0] + $" (+{lines.Length - 1} lines)";
        return preferFirst ? lines[0] : lines[^1];
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + ": " + b;

    private static string Str(Dictionary<string, object?> d, string key) => d.TryGetValue(key, out object? v) && v is string s ? s : "";

    [GeneratedRegex(@"\b(\d+) (failed|errors?|passed)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Tally();

    [GeneratedRegex(@"^(?:Exit code|exit code|exit status|Exit status)[: ]\s*(-?\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ExitCode();
}
