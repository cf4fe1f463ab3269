using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>A listed session: its directory and parsed metadata.</summary>
public sealed record SessionInfo(string Id, string Directory, SessionMeta Meta)
{
    public string EventsPath => Path.Combine(Directory, "events.ndjson");
    public string MetaPath => Path.Combine(Directory, "meta.json");
}
