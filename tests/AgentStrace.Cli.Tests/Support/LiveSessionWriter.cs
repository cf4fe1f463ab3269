using System.Globalization;
using System.Text;

namespace AgentStrace.Cli.Tests.Support;

/// <summary>Plays an agent: creates a session in a store and appends its events one by one, as the hooks would.</summary>
public sealed class LiveSessionWriter
{
    private int _next;
    private readonly double _start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public LiveSessionWriter(string store, string? id = null, long agentPid = 0)
    {
        Id = id ?? "live" + Guid.NewGuid().ToString("N")[..12];
        Dir = Path.Combine(store, Id);
        Directory.CreateDirectory(Dir);
        AgentPid = agentPid;
        if (agentPid > 0) RecordAgent(agentPid);
        WriteMeta(ended: false);
        File.WriteAllBytes(EventsPath, []);
    }

    public string Id { get; }
    public string Dir { get; }
    public long AgentPid { get; }
    public string EventsPath => Path.Combine(Dir, "events.ndjson");
    public int ToolCalls { get; private set; }

    private static string Num(double d) => d.ToString("0.000", CultureInfo.InvariantCulture);

    public string Append(string type, string data, string? parent = null)
    {
        string id = $"{Id}-e{_next++}";
        string p = parent is null ? "" : $",\"parent_id\":\"{parent}\"";
        string line = $"{{\"event_type\":\"{type}\",\"timestamp\":{Num(_start + _next * 0.01)},\"event_id\":\"{id}\",\"session_id\":\"{Id}\"{p},\"data\":{data}}}\n";
        using var f = new FileStream(EventsPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        f.Write(Encoding.UTF8.GetBytes(line));
        return id;
    }

    public void ToolRoundTrip(string tool, string argumentsJson, string result = "ok")
    {
        string call = Append("tool_call", $"{{\"tool_name\":\"{tool}\",\"arguments\":{argumentsJson}}}");
        ToolCalls++;
        Append("tool_result", $"{{\"tool_name\":\"{tool}\",\"result\":\"{result}\"}}", call);
    }

    public void End()
    {
        Append("session_end", "{}");
        WriteMeta(ended: true);
    }

    /// <summary>
    /// Writes <c>.agent-process.json</c> as the session-start hook does: the pid with its start time (Linux
    /// <c>/proc/&lt;pid&gt;/stat</c> field 22) and name; <paramref name="startTime"/> forges the start time (a reused pid).
    /// </summary>
    public void RecordAgent(long pid, string? startTime = null)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
        string[] rest = stat[(close + 2)..].Split(' ');
        string json = $"{{\"pid\":{pid},\"start_time\":\"{startTime ?? rest[19]}\",\"exe\":\"{stat[(open + 1)..close]}\"}}";
        File.WriteAllText(Path.Combine(Dir, ".agent-process.json"), json);
    }

    private void WriteMeta(bool ended)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"session_id\": \"{Id}\", \"started_at\": {Num(_start)}");
        if (ended) sb.Append(CultureInfo.InvariantCulture, $", \"ended_at\": {Num(_start + _next * 0.01 + 0.5)}");
        sb.Append(CultureInfo.InvariantCulture, $", \"agent_name\": \"claude-code\", \"tool_calls\": {ToolCalls}");
        sb.Append('}');
        string path = Path.Combine(Dir, "meta.json");
        File.WriteAllText(path + ".tmp", sb.ToString());
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
