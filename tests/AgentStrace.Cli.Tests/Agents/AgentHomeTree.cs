using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Agents;

/// <summary>A temp HOME holding sessions of all three agents (this repository's own fixtures) and a store beside it.</summary>
internal sealed class AgentHomeTree : IDisposable
{
    public const string ClaudeSession = "11111111-2222-4333-8444-555555555555";
    public const string CodexParent = "019da100-0000-7000-8000-0000000000a1";
    public const string CodexChild = "019da100-0000-7000-8000-0000000000c1";
    public const string CodexArchived = "019fa100-0000-7000-8000-0000000000e1";
    public const string GeminiMain = "7a1b2c3d-0000-4000-8000-0000000000f1";
    public const string GeminiSub = "5e6f7a8b-0000-4000-8000-0000000000f2";
    public const string GeminiLegacy = "bbbb2222-0000-4000-8000-0000000000f3";

    private readonly TempDir _dir = new();

    public AgentHomeTree()
    {
        TempDir.Copy(Path.Combine(Repo.Fixtures, "agents", "home"), Home);
        string project = Path.Combine(Home, ".claude", "projects", "-work-demo");
        Directory.CreateDirectory(project);
        string transcripts = Path.Combine(Repo.Fixtures, "capture", "transcripts", "proj");
        File.Copy(Path.Combine(transcripts, ClaudeSession + ".jsonl"), Path.Combine(project, ClaudeSession + ".jsonl"));
        TempDir.Copy(Path.Combine(transcripts, ClaudeSession), Path.Combine(project, ClaudeSession));
        Directory.CreateDirectory(Work);
    }

    public string Home => Path.Combine(_dir.Path, "home");
    public string Work => Path.Combine(_dir.Path, "work");
    public string Store => Path.Combine(Work, ".agent-traces");
    public string CodexHome => Path.Combine(Home, ".codex");

    /// <summary>HOME at the tree; CODEX_HOME and CLAUDE_CONFIG_DIR set the way users set them.</summary>
    public Dictionary<string, string?> Env => new()
    {
        ["HOME"] = Home, ["CODEX_HOME"] = CodexHome, ["CLAUDE_CONFIG_DIR"] = null, ["GEMINI_CLI_HOME"] = null, ["AGENT_STRACE_NO_REDACT"] = null,
    };

    public Task<CliResult> RunAsync(params string[] args) => AgentStraceCli.RunAsync(args, Work, Env);

    public void Dispose() => _dir.Dispose();
}
