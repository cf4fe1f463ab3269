using AgentStrace.Capture.Hooks;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Spans;

namespace AgentStrace.Ship;

/// <summary>
/// A session's fleet attributes: what the hook recorded where the session ran (user, host, CI job), then the
/// repository (its remote URL without credentials), branch, commit, agent and version from <c>meta.json</c>. The
/// checkout's own branch and commit win over the CI variables'.
/// </summary>
public static class ShipResource
{
    public static List<SpanAttribute> For(IReadOnlyList<KeyValuePair<string, string>> recorded, SessionMeta meta)
    {
        var values = new List<KeyValuePair<string, string>>();
        RawJsonObject a = meta.Attribution is { } v ? v.AsObject() : RawJsonObject.Empty;
        string repo = FleetResource.WithoutCredentials(a.GetString("git_repo"u8));
        string branch = a.GetString("git_branch"u8), commit = a.GetString("git_commit"u8);
        foreach (var (k, value) in recorded)
        {
            if ((k == "vcs.ref.head.name" && branch.Length > 0) || (k == "vcs.ref.head.revision" && commit.Length > 0)) continue;
            values.Add(new(k, value));
        }
        if (repo.Length > 0) values.Add(new("vcs.repository.url.full", repo));
        if (branch.Length > 0) values.Add(new("vcs.ref.head.name", branch));
        if (commit.Length > 0) values.Add(new("vcs.ref.head.revision", commit));
        if (meta.AgentName.Length > 0) values.Add(new("agent.name", meta.AgentName));
        if (a.GetString("agent_version"u8) is { Length: > 0 } version) values.Add(new("agent.version", version));
        return values.Select(kv => SpanAttribute.Of(kv.Key, kv.Value)).ToList();
    }
}
