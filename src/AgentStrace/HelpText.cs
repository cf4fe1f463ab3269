using System.Text;
using System.Text.RegularExpressions;

namespace AgentStrace.Cli;

/// <summary>
/// Rewrites ConsoleAppFramework's generated help into the tool's own: usage lines that name the program and the
/// arguments, no C# types (<c>&lt;string?&gt;</c>) or literals (<c>[Default: @""]</c>), a default shown once, and
/// on the top level the global options, environment, exit codes and where the docs are.
/// </summary>
internal static partial class HelpText
{
    /// <summary>Positional argument names per command (the generated help only numbers them).</summary>
    private static string[] ArgumentNames(string command) => command switch
    {
        "diff" => ["<a>", "<b>"],
        "import" => ["<file>"],
        "completion" => ["<shell>"],
        _ => ["<id>"],
    };

    public static string Rewrite(string help)
    {
        string[] lines = help.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || !lines[0].StartsWith("Usage: ", StringComparison.Ordinal)) return help;
        bool root = lines[0].StartsWith("Usage: [command]", StringComparison.Ordinal);
        string command = root ? "" : UsageCommand().Match(lines[0]) is { Success: true } m ? m.Groups[1].Value.Trim() : "";
        string[] names = ArgumentNames(command.Split(' ')[^1]);
        var args = new List<(string Name, bool Optional)>();
        var output = new List<string>();
        string section = "";
        foreach (string raw in lines.Skip(1))
        {
            string line = raw;
            if (line.EndsWith(':') && !line.StartsWith(' ')) section = line;
            if (section == "Arguments:" && ArgumentLine().Match(line) is { Success: true } a)
            {
                int index = int.Parse(a.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                bool optional = a.Groups[2].Value.EndsWith('?');
                string name = index < names.Length ? names[index] : $"<arg{index + 1}>";
                args.Add((name, optional));
                line = "  " + (optional ? "[" + name + "]" : name) + "    " + a.Groups[3].Value;
            }
            else if (section == "Options:" && line.StartsWith("  -", StringComparison.Ordinal))
            {
                line = CleanOption(line);
            }
            else if (root && section == "Commands:" && line.IndexOf(" Examples: ", StringComparison.Ordinal) is int cut and > 0)
            {
                line = line[..cut]; // the list keeps one line per command; examples are in the command's help
            }
            else if (!root && section == "" && line.IndexOf(" Examples: ", StringComparison.Ordinal) is int at and > 0)
            {
                output.Add(line[..at]);
                output.Add("");
                output.Add("Examples:");
                output.AddRange(line[(at + " Examples: ".Length)..].Split(" · ").Select(e => "  " + e.Trim()));
                continue;
            }
            output.Add(line);
        }
        var sb = new StringBuilder();
        if (root)
        {
            sb.Append("Usage: agent-strace [--trace-dir DIR] <command> [options]\n       agent-strace <command> --help\n");
        }
        else
        {
            sb.Append("Usage: agent-strace ").Append(command);
            foreach (var (name, optional) in args) sb.Append(' ').Append(optional ? "[" + name + "]" : name);
            sb.Append(" [options]");
            if (command == "record") sb.Append(" -- <command> [args...]");
            sb.Append('\n');
        }
        foreach (string line in Align(output)) sb.Append(line.TrimEnd()).Append('\n');
        if (root) sb.Append(RootFooter);
        return sb.ToString().TrimEnd('\n');
    }

    private const string RootFooter = """

Global options (before or after the command):
  --trace-dir DIR    The store (default: $AGENT_STRACE_DIR, else $AGENT_TRACE_DIR, else ./.agent-traces).
  -h, --help         This help; 'agent-strace <command> --help' for a command's options.
  --version          The version.

Environment:
  AGENT_STRACE_DIR, AGENT_TRACE_DIR    The store, when --trace-dir is not given.
  NO_COLOR                             No colours in replay, stats and diff.
  OTEL_EXPORTER_OTLP_*                 OTLP endpoint, headers and protocol for export and watch.

Exit codes: 0 ok · 1 a check failed (verify, baseline check, audit-readiness) · 2 usage error or no such session ·
3 the endpoint failed · 70 internal error · 74 I/O error · 130 interrupted.

Get started: agent-strace demo · agent-strace setup · agent-strace import --discover · agent-strace replay
Shell completion: agent-strace completion bash|zsh|fish|pwsh. Docs: README.md and docs/ in the repository.

""";

    /// <summary>An option line without the C# type and literal default; a default the text does not already give is appended once.</summary>
    private static string CleanOption(string line)
    {
        Match d = DefaultValue().Match(line);
        string shown = "";
        if (d.Success)
        {
            string value = d.Groups[1].Value;
            if (value.StartsWith("@\"", StringComparison.Ordinal)) value = value[2..^1];
            line = line.Remove(d.Index, d.Length);
            bool said = line.Contains("default", StringComparison.OrdinalIgnoreCase);
            if (!said && value.Length > 0 && value is not ("null" or "False" or "false")) shown = $" (default: {value})";
        }
        line = TypeName().Replace(line, m => m.Groups[1].Value is "int" or "double" or "long" ? " <n>" : " <value>", 1);
        line = line.Replace("--trace-dir <value>", "--trace-dir <dir>", StringComparison.Ordinal).TrimEnd();
        return shown.Length > 0 && line.EndsWith('.') ? line[..^1] + shown + "." : line + shown;
    }

    /// <summary>Re-pads the two-column blocks after their left sides changed width.</summary>
    private static List<string> Align(List<string> lines)
    {
        var result = new List<string>(lines.Count);
        int i = 0;
        while (i < lines.Count)
        {
            if (!IsColumnLine(lines[i])) { result.Add(lines[i++]); continue; }
            int start = i;
            while (i < lines.Count && IsColumnLine(lines[i])) i++;
            var block = lines.GetRange(start, i - start).Select(l => Columns().Match(l)).ToList();
            int width = block.Max(m => m.Groups[1].Value.Length);
            result.AddRange(block.Select(m => "  " + m.Groups[1].Value.PadRight(width) + "    " + m.Groups[2].Value));
        }
        return result;
    }

    private static bool IsColumnLine(string line) => line.StartsWith("  ", StringComparison.Ordinal) && Columns().IsMatch(line);

    [GeneratedRegex(@"^Usage: (.*?) (\[arguments\.\.\.\]|\[options\.\.\.\]|\[-h\|--help\])")]
    private static partial Regex UsageCommand();

    [GeneratedRegex(@"^  \[(\d+)\] <([^>]+)>\s+(.*)$")]
    private static partial Regex ArgumentLine();

    [GeneratedRegex(@"\s*\[Default: ([^\]]*)\]")]
    private static partial Regex DefaultValue();

    [GeneratedRegex(@" <(string|int|double|long|bool|[A-Za-z]+)\??>")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"^  (\S.*?)\s{2,}(\S.*)$")]
    private static partial Regex Columns();
}
