using System.Buffers;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>The <c>attribution</c> block of meta.json, collected once at session start (upstream's meta.json).</summary>
public static class Attribution
{
    public static RawJsonValue Collect(string workingDir)
    {
        List<string> ancestry = ProcessInfo.Ancestry();
        GitInfo git = GitInfo.Read(workingDir);
        var buffer = new ArrayBufferWriter<byte>(512);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        Str(w, "os_user", Environment.UserName);
        Str(w, "hostname", Environment.MachineName);
        w.WriteNumber("pid", (long)Environment.ProcessId);
        w.WriteNumber("ppid", ProcessInfo.ParentOf(Environment.ProcessId));
        Str(w, "process_name", ancestry.Count > 0 ? ancestry[^1] : "");
        w.WritePropertyName("process_ancestry");
        w.WriteStartArray();
        foreach (string name in ancestry) w.WriteStringValue(name);
        w.WriteEndArray();
        Str(w, "agent_provider", Provider(ancestry));
        Str(w, "agent_version", Environment.GetEnvironmentVariable("CLAUDE_CODE_VERSION") ?? "");
        Str(w, "git_repo", git.Repo);
        Str(w, "git_branch", git.Branch);
        Str(w, "git_commit", git.Commit);
        Str(w, "working_dir", workingDir);
        w.WriteEndObject();
        return new RawJsonValue(System.Text.Json.JsonTokenType.StartObject, buffer.WrittenSpan.ToArray(), false);
    }

    private static string Provider(List<string> ancestry)
    {
        static bool Set(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));
        if (Set("CLAUDE_CODE_SESSION") || Set("ANTHROPIC_API_KEY") || Set("CLAUDECODE") || Set("CLAUDE_PROJECT_DIR")) return "claude-code";
        if (Set("CURSOR_SESSION_ID") || Set("CURSOR_TRACE_ID")) return "cursor";
        if (Set("GITHUB_COPILOT_TOKEN") || Set("COPILOT_AGENT")) return "copilot";
        if (Set("CLINE_SESSION") || Set("CONTINUE_SESSION")) return "cline";
        foreach (string n in ancestry)
        {
            if (n.Contains("claude", StringComparison.OrdinalIgnoreCase)) return "claude-code";
            if (n.Contains("cursor", StringComparison.OrdinalIgnoreCase)) return "cursor";
            if (n.Contains("copilot", StringComparison.OrdinalIgnoreCase)) return "copilot";
        }
        return "unknown";
    }

    // Upstream drops empty strings from the block.
    private static void Str(PyJsonWriter w, string key, string value)
    {
        if (value.Length > 0) w.WriteString(key, value);
    }
}
