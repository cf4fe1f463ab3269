using System.Globalization;
using System.Text.Json;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;
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
        WatchStatusDocument s;
        try { s = WatchStatusDocument.Parse(bytes); }
        catch (JsonException ex)
        {
            throw new StoreCorruptException($"{path} is not a valid watch status ({DocumentJson.Describe(ex)}); a running watch rewrites it within a second.");
        }
        double now = Clock.Now();
        double updated = s.UpdatedAt;
        int pid = s.Pid;
        bool running = s.Running && now - updated < 15 && Watchdog.AgentKiller.IsRunning(pid);
        if (json)
        {
            Console.Out.Write(System.Text.Encoding.UTF8.GetString(bytes).TrimEnd());
            Console.Out.WriteLine();
            return running ? ExitCodes.Ok : ExitCodes.Found;
        }
        var o = Console.Out;
        o.WriteLine(running ? $"watch: running (pid {pid}), updated {Ago(now - updated)}" : $"watch: not running (last update {Ago(now - updated)})");
        o.WriteLine($"destination:      {s.Destination}");
        o.WriteLine($"sessions:         {s.SessionsFollowed}");
        string lastEvent = s.LastEventAt is double le ? $", last event {Ago(now - le)}" : "";
        o.WriteLine($"lag:              {s.TailLagBytes} bytes unread{lastEvent}");
        string oldest = s.OldestSpooledAgeSeconds is double age ? $", oldest waiting {age:0.#}s" : "";
        o.WriteLine($"spooled:          {s.SpooledSpans} span(s), {s.SpooledBytes} bytes{oldest}");
        o.WriteLine($"sent:             {s.SentSpans} span(s), rejected {s.RejectedSpans}, dropped {s.DroppedSpans}, damaged records {s.DamagedRecords}");
        string error = s.LastError ?? "";
        o.WriteLine(error.Length == 0 ? "last error:       none" : $"last error:       {error} ({Ago(now - (s.LastErrorAt ?? 0))})");
        return running ? ExitCodes.Ok : ExitCodes.Found;
    }

    private static string Ago(double seconds) => seconds < 120
        ? seconds.ToString("0", CultureInfo.InvariantCulture) + "s ago"
        : (seconds / 60).ToString("0", CultureInfo.InvariantCulture) + " min ago";
}
