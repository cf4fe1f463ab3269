using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AgentStrace.Capture.Hooks;
using AgentStrace.Config;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary><c>ship --status</c>: the target (header names only, never values), the queue, whether a shipper runs, the
/// last success and the last error. Also the one line <c>doctor</c> shows.</summary>
public static class ShipStatus
{
    public sealed record Snapshot(string Target, IReadOnlyList<string> HeaderNames, int Entries, int Sessions, double OldestAt, bool Running,
        double LastSuccessAt, string LastError, double LastErrorAt, double NextAttemptAt, long DeliveredSpans, long DroppedEntries, string LastWarning, string ConfigPath, string Problem);

    public static Snapshot Read(string storeRoot)
    {
        string problem = "";
        ShipConfig? config = null;
        UserConfig? user = null;
        try
        {
            user = UserConfig.Load();
            config = ShipConfig.From(user, out problem);
        }
        catch (FormatException ex) { problem = ex.Message; }
        List<OutboxEntry> entries = Outbox.List(storeRoot, _ => { });
        ShipState state;
        try { state = ShipState.Load(storeRoot); }
        catch (Errors.StoreCorruptException ex)
        {
            problem = ex.Message;
            state = ShipState.Empty();
        }
        bool running = RunningShipper(storeRoot) is not null;
        var headers = config is null ? [] : config.Headers.Select(h => h.Env.Length > 0 ? $"{h.Name} (from ${h.Env})" : h.Name).ToList();
        if (config is { HeaderFile.Length: > 0 }) headers.Add($"headers from {config.HeaderFile}");
        return new Snapshot(config is null ? "" : Otlp.Transport.OtlpUrls.DisplayInput(config.To), headers, entries.Count,
            entries.Select(e => e.SessionId).Distinct(StringComparer.Ordinal).Count(), entries.Count > 0 ? entries.Min(e => e.At) : 0, running,
            state.LastSuccessAt, state.LastError, state.LastErrorAt, state.NextAttemptAt, state.DeliveredSpans, state.DroppedEntries, state.LastWarning,
            user?.Path ?? UserConfig.DefaultPath(), problem);
    }

    /// <summary>
    /// The pid the lock holder wrote into the lock file, when that process is alive. Read, not probed: taking the lock
    /// even for a moment could make a shipper that starts at that instant think another one runs.
    /// </summary>
    public static int? RunningShipper(string storeRoot)
    {
        string path = Path.Combine(Outbox.Dir(storeRoot), HookShipping.LockName);
        string? text = FileSystem.SafeFile.TryReadAllText(path, 64)?.Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0) return null;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return p.HasExited ? null : pid;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { return null; }
    }

    /// <summary>One line: the target and the queue, or why nothing ships.</summary>
    public static string Line(Snapshot s)
    {
        if (s.Target.Length == 0) return s.Problem.Length > 0 ? "shipping: " + s.Problem : "shipping: not set up ('agent-strace setup --global --ship-to URL')";
        string queue = s.Entries == 0 ? "outbox empty" : $"{s.Entries} hand-over(s) of {s.Sessions} session(s) queued since {ShipRunner.Time(s.OldestAt)}";
        string last = s.LastErrorAt > s.LastSuccessAt ? $"; last error {ShipRunner.Time(s.LastErrorAt)}: {s.LastError}" : s.LastSuccessAt > 0 ? $"; last success {ShipRunner.Time(s.LastSuccessAt)}" : "";
        return $"shipping to {s.Target}: {queue}{(s.Running ? ", shipper running" : "")}{last}";
    }

    public static void Text(Snapshot s, TextWriter o)
    {
        o.WriteLine(Line(s));
        if (s.Target.Length == 0) return;
        o.WriteLine($"  configuration   {s.ConfigPath}");
        o.WriteLine($"  headers         {(s.HeaderNames.Count == 0 ? "none" : string.Join(", ", s.HeaderNames))}");
        o.WriteLine($"  queue           {s.Entries} hand-over(s), {s.Sessions} session(s)");
        o.WriteLine($"  shipper         {(s.Running ? "running" : "not running")}");
        o.WriteLine($"  delivered       {s.DeliveredSpans.ToString(CultureInfo.InvariantCulture)} span(s)");
        o.WriteLine($"  last success    {(s.LastSuccessAt > 0 ? ShipRunner.Time(s.LastSuccessAt) : "never")}");
        o.WriteLine($"  last error      {(s.LastErrorAt > 0 ? ShipRunner.Time(s.LastErrorAt) + ": " + s.LastError : "none")}");
        if (s.NextAttemptAt > Model.Clock.Now()) o.WriteLine($"  next attempt    {ShipRunner.Time(s.NextAttemptAt)}");
        if (s.DroppedEntries > 0) o.WriteLine($"  dropped         {s.DroppedEntries.ToString(CultureInfo.InvariantCulture)} hand-over(s) by the caps; last: {s.LastWarning}");
    }

    public static void Json(Snapshot s, IBufferWriter<byte> o)
    {
        using var w = new Utf8JsonWriter(o, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteBoolean("configured", s.Target.Length > 0);
        w.WriteString("target", s.Target);
        w.WriteStartArray("headers");
        foreach (string h in s.HeaderNames) w.WriteStringValue(h);
        w.WriteEndArray();
        w.WriteString("config_path", s.ConfigPath);
        w.WriteNumber("queued_entries", s.Entries);
        w.WriteNumber("queued_sessions", s.Sessions);
        w.WriteNumber("oldest_queued_at", s.OldestAt);
        w.WriteBoolean("shipper_running", s.Running);
        w.WriteNumber("delivered_spans", s.DeliveredSpans);
        w.WriteNumber("last_success_at", s.LastSuccessAt);
        w.WriteString("last_error", s.LastError);
        w.WriteNumber("last_error_at", s.LastErrorAt);
        w.WriteNumber("next_attempt_at", s.NextAttemptAt);
        w.WriteNumber("dropped_entries", s.DroppedEntries);
        w.WriteString("last_warning", s.LastWarning);
        w.WriteString("problem", s.Problem);
        w.WriteEndObject();
    }
}
