using System.Buffers;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>One session read from another agent's files (Codex, Gemini CLI), before it becomes an <see cref="ImportedSession"/>.</summary>
public sealed class AgentSession
{
    public required string SessionId { get; init; }

    /// <summary><c>codex</c> or <c>gemini-cli</c>: the meta.json <c>agent_name</c> that exports, baselines and the audit package key on.</summary>
    public required string Agent { get; init; }

    /// <summary>The model provider (<c>openai</c>, <c>google</c>) as the agent reports it.</summary>
    public required string Provider { get; init; }

    public required string Source { get; init; }
    /// <summary>Redacts texts before <see cref="AgentEvents"/> cuts them, so no secret survives because it was cut first.</summary>
    public Redactor Redactor { get; init; } = Redactor.Off;

    public MappedSession Mapped => _mapped ??= new MappedSession { Redactor = Redactor, Redacted = true };
    private MappedSession? _mapped;
    public string Command { get; set; } = "";
    public string Cwd { get; set; } = "";
    public string Version { get; set; } = "";
    public string GitRepo { get; set; } = "";
    public string GitCommit { get; set; } = "";
    public string ParentSessionId { get; set; } = "";
    public string ParentEventId { get; set; } = "";
    public long Depth { get; set; }

    /// <summary>False when the file holds no real activity (a Gemini resume orphan, a Codex file with only its meta).</summary>
    public bool HasActivity { get; set; }

    /// <summary>The session for the shared import writer, with its agent, parent link and attribution block; its
    /// events are <paramref name="events"/>, read while they are stored.</summary>
    public ImportedSession ToImported(IEnumerable<Model.TraceEvent> events)
    {
        if (Cwd.Length > 0) Mapped.Cwd = Cwd;
        return new ImportedSession(SessionId, Mapped, Source, Command)
        {
            Stream = events,
            AgentName = Agent,
            ParentSessionId = ParentSessionId,
            ParentEventId = ParentEventId,
            Depth = Math.Max(1, Depth),
            Attribution = Attribution(),
        };
    }

    private RawJsonValue Attribution()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new PyJsonWriter(buffer, PyJsonStyle.Compact);
        w.WriteStartObject();
        w.WriteString("agent_provider", Agent);
        Str(w, "agent_version", Version);
        Str(w, "model_provider", Provider);
        Str(w, "git_repo", WithoutUserInfo(GitRepo));
        Str(w, "git_branch", Mapped.GitBranch);
        Str(w, "git_commit", GitCommit);
        Str(w, "working_dir", Cwd);
        w.WriteEndObject();
        return new RawJsonValue(System.Text.Json.JsonTokenType.StartObject, buffer.WrittenSpan.ToArray(), false);
    }

    /// <summary>A remote URL without its <c>user:token@</c> part (a credential must not reach the store).</summary>
    private static string WithoutUserInfo(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return url;
        int host = scheme + 3;
        int slash = url.IndexOf('/', host);
        int at = url.LastIndexOf('@', slash < 0 ? url.Length - 1 : slash - 1);
        return at >= host ? url[..host] + url[(at + 1)..] : url;
    }

    private static void Str(PyJsonWriter w, string key, string value)
    {
        if (value.Length > 0) w.WriteString(key, value);
    }
}
