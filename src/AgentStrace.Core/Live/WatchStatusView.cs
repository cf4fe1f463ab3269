using System.Globalization;
using System.Text.Json;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Live;

/// <summary><c>watch --status</c>: the status file of the streaming watch of a store, as text or JSON.</summary>
public static class WatchStatusView
{
    /// <summary>Exit 0 when a watch is running and fresh, 1 when none is (the file shows the last run).</summary>
    public static int Print(TraceStore store, bool json)
    {
        string path = Path.Combine(store.Root, WatchRunner.SpoolDirName, LiveStatus.FileName);
        byte[]? bytes = SafeFile.TryReadAllBytes(path, 16 << 20);
        if (bytes is null)
        {
            throw new AgentStraceException($"No watch status in {store.DisplayRoot}: start one with 'agent-strace watch --stream-to URL'.", ExitCodes.Found);
        }
        using var doc = JsonDocument.Parse(bytes);
        JsonElement s = doc.RootElement;
        double now = Clock.Now();
        double updated = Num(s, "updated_at");
        int pid = (int)Num(s, "pid");
        bool running = s.TryGetProperty("running", out JsonElement r) && r.GetBoolean() && now - updated < 15 && Watchdog.AgentKiller.IsRunning(pid);
        if (json)
        {
            Console.Out.Write(System.Text.Encoding.UTF8.GetString(bytes).TrimEnd());
            Console.Out.WriteLine();
            return running ? ExitCodes.Ok : ExitCodes.Found;
        }
        var o = Console.Out;
        o.WriteLine(running ? $"watch: running (pid {pid}), updated {Ago(now - updated)}" : $"watch: not running (last update {Ago(now - updated)})");
        o.WriteLine($"destination:      {Str(s, "destination")}");
        o.WriteLine($"sessions:         {Num(s, "sessions_followed"):0}");
        string lastEvent = s.TryGetProperty("last_event_at", out JsonElement le) ? $", last event {Ago(now - le.GetDouble())}" : "";
        o.WriteLine($"lag:              {Num(s, "tail_lag_bytes"):0} bytes unread{lastEvent}");
        string oldest = s.TryGetProperty("oldest_spooled_age_seconds", out JsonElement age) ? $", oldest waiting {age.GetDouble():0.#}s" : "";
        o.WriteLine($"spooled:          {Num(s, "spooled_spans"):0} span(s), {Num(s, "spooled_bytes"):0} bytes{oldest}");
        o.WriteLine($"sent:             {Num(s, "sent_spans"):0} span(s), rejected {Num(s, "rejected_spans"):0}, dropped {Num(s, "dropped_spans"):0}, damaged records {Num(s, "damaged_records"):0}");
        string error = Str(s, "last_error");
        o.WriteLine(error.Length == 0 ? "last error:       none" : $"last error:       {error} ({Ago(now - Num(s, "last_error_at"))})");
        return running ? ExitCodes.Ok : ExitCodes.Found;
    }

    private static double Num(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string Ago(double seconds) => seconds < 120
        ? seconds.ToString("0", CultureInfo.InvariantCulture) + "s ago"
        : (seconds / 60).ToString("0", CultureInfo.InvariantCulture) + " min ago";
}
