using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStrace.Capture.Hooks;

namespace AgentStrace.Doctor;

/// <summary>Hook checks: Claude Code's project and user settings (and Codex / Gemini CLI where set up), and the binary they run.</summary>
internal static class DoctorHooks
{
    /// <summary>A settings file's agent-strace hook commands, by event; Problem is set when the file cannot be read.</summary>
    private sealed record Installed(string Path, Dictionary<string, string> Commands, string? Problem);

    public static Task<IEnumerable<DoctorLine>> ClaudeHooks(DoctorContext c, CancellationToken cancellationToken)
    {
        string[] events = HookEvents.All.Select(e => e.ToString()).ToArray();
        Installed project = Read(SettingsFile.Resolve(null, global: false), events, null);
        Installed user = Read(SettingsFile.Resolve(null, global: true), events, null);
        var lines = new List<DoctorLine>();
        foreach (Installed i in new[] { project, user })
        {
            if (i.Problem is not null) lines.Add(new("Claude Code hooks", CheckState.Fail, $"{i.Path}: {i.Problem}", $"fix the file, then run: agent-strace setup{(i == user ? " --global" : "")}"));
        }
        Installed? best = new[] { project, user }.Where(i => i.Commands.Count > 0).MaxBy(i => i.Commands.Count);
        if (best is null)
        {
            lines.Add(new("Claude Code hooks", CheckState.Fail, $"not installed (neither {project.Path} nor {user.Path} runs agent-strace)",
                "run: agent-strace setup   (this project)  or  agent-strace setup --global   (every project)"));
            return Task.FromResult<IEnumerable<DoctorLine>>(lines);
        }
        foreach (Installed i in new[] { project, user }.Where(i => i.Commands.Count > 0))
        {
            string[] missing = events.Where(e => !i.Commands.ContainsKey(e)).ToArray();
            string scope = i == user ? "user" : "project";
            lines.Add(missing.Length == 0
                ? new("Claude Code hooks", CheckState.Ok, $"{scope} settings {i.Path}: all {events.Length} events")
                : new("Claude Code hooks", CheckState.Fail, $"{scope} settings {i.Path}: {missing.Length} of {events.Length} events missing ({string.Join(", ", missing)})",
                    $"run: agent-strace setup{(i == user ? " --global" : "")}"));
        }
        return Task.FromResult<IEnumerable<DoctorLine>>(lines);
    }

    /// <summary>Codex and Gemini CLI: checked only where their hooks file names agent-strace (they are opt-in).</summary>
    public static Task<IEnumerable<DoctorLine>> OtherAgentHooks(DoctorContext c, CancellationToken cancellationToken)
    {
        var lines = new List<DoctorLine>();
        foreach (string agent in new[] { AgentHooks.Codex, AgentHooks.Gemini })
        {
            foreach (bool global in new[] { false, true })
            {
                string path = AgentHookSettings.Resolve(agent, null, global);
                Installed i = Read(path, AgentHookSettings.Events(agent).ToArray(), agent);
                if (i.Commands.Count == 0 && i.Problem is null) continue;
                string fix = $"run: agent-strace setup --agent {agent}{(global ? " --global" : "")}";
                if (i.Problem is not null) { lines.Add(new($"{agent} hooks", CheckState.Fail, $"{path}: {i.Problem}", fix)); continue; }
                string[] missing = AgentHookSettings.Events(agent).Where(e => !i.Commands.ContainsKey(e)).ToArray();
                lines.Add(missing.Length == 0
                    ? new($"{agent} hooks", CheckState.Ok, $"{path}: all {i.Commands.Count} events")
                    : new($"{agent} hooks", CheckState.Fail, $"{path}: {missing.Length} events missing ({string.Join(", ", missing)})", fix));
            }
        }
        return Task.FromResult<IEnumerable<DoctorLine>>(lines);
    }

    /// <summary>Every binary the installed hooks run exists and is this version (a moved or upgraded-away binary fails silently).</summary>
    public static async Task<IEnumerable<DoctorLine>> HookBinary(DoctorContext c, CancellationToken cancellationToken)
    {
        string[] claudeEvents = HookEvents.All.Select(e => e.ToString()).ToArray();
        var sources = new List<Installed>
        {
            Read(SettingsFile.Resolve(null, false), claudeEvents, null), Read(SettingsFile.Resolve(null, true), claudeEvents, null),
        };
        foreach (string agent in new[] { AgentHooks.Codex, AgentHooks.Gemini })
        {
            foreach (bool global in new[] { false, true }) sources.Add(Read(AgentHookSettings.Resolve(agent, null, global), AgentHookSettings.Events(agent).ToArray(), agent));
        }
        var binaries = sources.SelectMany(s => s.Commands.Values.Select(cmd => (Binary: BinaryOf(cmd), s.Path)))
            .GroupBy(b => b.Binary, StringComparer.Ordinal).ToList();
        string project = Path.GetFullPath(".") + Path.DirectorySeparatorChar;
        if (binaries.Count == 0) return [new DoctorLine("hook binary", CheckState.Skip, "no hooks installed, so no binary to check")];
        var lines = new List<DoctorLine>();
        foreach (var group in binaries)
        {
            string binary = group.Key, where = string.Join(", ", group.Select(g => g.Path).Distinct());
            string fix = $"run: agent-strace setup   (points the hooks at {c.ThisBinary})";
            if (binary.Length == 0) { lines.Add(new("hook binary", CheckState.Fail, $"cannot read the hook command in {where}", fix)); continue; }
            if (!File.Exists(binary)) { lines.Add(new("hook binary", CheckState.Fail, $"{binary} (used by {where}) does not exist: the hooks fail on every call", fix)); continue; }
            if (SamePath(binary, c.ThisBinary)) { lines.Add(new("hook binary", CheckState.Ok, $"{binary} is this binary ({c.Version})")); continue; }
            // A cloned repository's settings can name a program of the repository: doctor must not run it to ask its version.
            if (Resolved(binary).StartsWith(project, StringComparison.Ordinal))
            {
                lines.Add(new("hook binary", CheckState.Fail, $"{binary} (used by {where}) lies inside this project; not run (doctor never runs a program a repository brings)", fix));
                continue;
            }
            string? version = await VersionOf(binary, c.Timeout, cancellationToken);
            lines.Add(version == c.Version
                ? new("hook binary", CheckState.Ok, $"{binary} exists, version {version}")
                : new("hook binary", CheckState.Fail, $"{binary} (used by {where}) is {(version is null ? "not a working agent-strace" : "version " + version)}, this is {c.Version}", fix));
        }
        return lines;
    }

    private static Installed Read(string path, string[] events, string? agent)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new(path, found, null);
        JsonNode? root;
        try
        {
            var bytes = FileSystem.SafeFile.TryReadAllBytes(path, 4 << 20);
            if (bytes is null) return new(path, found, "is not a regular file of at most 4 MiB");
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or Errors.AgentStraceException)
        {
            return new(path, found, "cannot be read as JSON (" + ex.Message.ReplaceLineEndings(" ") + ")");
        }
        if (root is not JsonObject o || o["hooks"] is not JsonObject hooks) return new(path, found, null);
        foreach (string e in events)
        {
            if (hooks[e] is not JsonArray groups) continue;
            foreach (JsonNode? g in groups)
            {
                if (g is not JsonObject group || group["hooks"] is not JsonArray handlers) continue;
                foreach (JsonNode? h in handlers)
                {
                    if (h is JsonObject handler && handler["command"] is JsonValue v && v.TryGetValue(out string? cmd) && IsOurs(cmd, e, agent)) found.TryAdd(e, cmd);
                }
            }
        }
        return new(path, found, null);
    }

    // Ours: "<…agent-strace…> hook <Event>" (Claude Code) or "… hook <event> --agent <agent>" (Codex, Gemini CLI).
    private static bool IsOurs(string command, string e, string? agent)
    {
        int at = command.LastIndexOf(" hook ", StringComparison.Ordinal);
        if (at < 0 || !command[..at].Contains("agent-strace", StringComparison.Ordinal)) return false;
        string tail = command[(at + 6)..].Trim();
        return agent is null ? string.Equals(tail, e, StringComparison.OrdinalIgnoreCase) : tail == e + " --agent " + agent;
    }

    /// <summary>The binary of a hook command: after an optional <c>NAME=value</c> prefix, a plain or single-quoted word.</summary>
    internal static string BinaryOf(string command)
    {
        string s = command.Trim();
        while (true)
        {
            int space = s.IndexOf(' ');
            int eq = s.IndexOf('=');
            if (space > 0 && eq > 0 && eq < space && !s.StartsWith('\'') && !s[..eq].Contains('/')) s = s[(space + 1)..].TrimStart();
            else break;
        }
        if (!s.StartsWith('\''))
        {
            int end = s.IndexOf(' ');
            return end < 0 ? s : s[..end];
        }
        var word = new System.Text.StringBuilder();
        int i = 0;
        while (i < s.Length && s[i] != ' ')
        {
            if (s[i] == '\'')
            {
                int close = s.IndexOf('\'', i + 1);
                if (close < 0) return "";
                word.Append(s, i + 1, close - i - 1);
                i = close + 1;
            }
            else if (s[i] == '\\' && i + 1 < s.Length) { word.Append(s[i + 1]); i += 2; }
            else word.Append(s[i++]);
        }
        return word.ToString();
    }

    private static bool SamePath(string a, string b) => string.Equals(Resolved(a), Resolved(b), StringComparison.Ordinal);

    // The full path a binary's name leads to (links followed); the name itself when it cannot be resolved.
    private static string Resolved(string path)
    {
        try { return new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? Path.GetFullPath(path); }
        catch (IOException) { return Path.GetFullPath(path); }
    }

    /// <summary><c>binary --version</c>, or null when it does not run or answer in time.</summary>
    private static async Task<string?> VersionOf(string binary, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null) return null;
            process.StandardInput.Close();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            Task<string> output = process.StandardOutput.ReadToEndAsync(cts.Token);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            string text = (await output).Trim();
            return process.ExitCode == 0 && text.Length is > 0 and < 100 ? text.Split('\n')[0].Trim() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
