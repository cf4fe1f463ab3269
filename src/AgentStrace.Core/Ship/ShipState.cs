using System.Buffers;
using System.Text.Json;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary>How far a session was shipped: its spans completed by events before <see cref="Offset"/> were acknowledged by
/// the collector; <see cref="Finished"/>: its root span too. <see cref="Skipped"/> names the filter that kept it local.
/// <see cref="MetricsSent"/>: its metrics were acknowledged (with <c>--metrics</c>).</summary>
public readonly record struct ShippedSession(long Offset, bool Finished, string? Skipped = null, bool MetricsSent = false);

/// <summary>
/// The shipper's durable memory (<c>&lt;store&gt;/.outbox/state.json</c>): per session what the collector acknowledged,
/// and the last success, the last error and the backoff, which carry over to the next run. Every change is written
/// (temp file, fsync, rename) before the outbox entries it covers are removed, so a span acknowledged once is never
/// sent again, whatever is killed when.
/// </summary>
public sealed class ShipState
{
    public const string FileName = "state.json";
    private readonly object _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, ShippedSession> _sessions = new(StringComparer.Ordinal);

    private ShipState(string path) => _path = path;

    public double LastSuccessAt { get; private set; }
    public string LastError { get; private set; } = "";
    public double LastErrorAt { get; private set; }
    public int Failures { get; private set; }
    public double NextAttemptAt { get; private set; }
    public long DeliveredSpans { get; private set; }
    public long DroppedEntries { get; private set; }
    public string LastWarning { get; private set; } = "";

    /// <summary>A state that is not backed by a readable file (shown by <c>--status</c> when the file is damaged).</summary>
    public static ShipState Empty() => new("");

    public static string PathOf(string storeRoot) => Path.Combine(Outbox.Dir(storeRoot), FileName);

    public static ShipState Load(string storeRoot)
    {
        var s = new ShipState(PathOf(storeRoot));
        byte[]? bytes = SafeFile.TryReadAllBytes(s._path, 64 << 20);
        if (bytes is null) return s;
        try
        {
            ShipStateDocument r = ShipStateDocument.Parse(bytes);
            s.LastSuccessAt = r.LastSuccessAt;
            s.LastError = r.LastError ?? "";
            s.LastErrorAt = r.LastErrorAt;
            s.Failures = r.Failures;
            s.NextAttemptAt = r.NextAttemptAt;
            s.DeliveredSpans = r.DeliveredSpans;
            s.DroppedEntries = r.DroppedEntries;
            s.LastWarning = r.LastWarning ?? "";
            foreach (var (id, p) in r.Sessions) s._sessions[id] = new ShippedSession(p.Offset, p.Finished, p.Skipped ?? "", p.MetricsSent == true);
        }
        catch (JsonException ex)
        {
            throw new Errors.StoreCorruptException($"{s._path} is not a valid shipping state ({DocumentJson.Describe(ex)}); delete it to ship every session in the outbox from its start (the backend keeps one copy of each span id).");
        }
        return s;
    }

    public ShippedSession Get(string sessionId)
    {
        lock (_gate) return _sessions.GetValueOrDefault(sessionId);
    }

    public int SessionCount
    {
        get { lock (_gate) return _sessions.Count; }
    }

    /// <summary>Records an acknowledged step and writes the file before returning.</summary>
    public void Advance(string sessionId, long offset, bool finished, int spans)
    {
        lock (_gate)
        {
            ShippedSession old = _sessions.GetValueOrDefault(sessionId);
            _sessions[sessionId] = old with
            {
                Offset = Math.Max(old.Offset, offset),
                Finished = finished || (old.Finished && offset <= old.Offset),
                MetricsSent = old.MetricsSent && offset <= old.Offset, // a resumed session sends its metrics again at its new end
            };
            DeliveredSpans += spans;
            if (spans > 0) LastSuccessAt = Model.Clock.Now();
            Save();
        }
    }

    public void Skip(string sessionId, long offset, string reason)
    {
        lock (_gate)
        {
            _sessions[sessionId] = new ShippedSession(offset, true, reason);
            Save();
        }
    }

    /// <summary>The session's metrics were acknowledged (or refused for good): written before returning, never sent again.</summary>
    public void MetricsSent(string sessionId)
    {
        lock (_gate)
        {
            _sessions[sessionId] = _sessions.GetValueOrDefault(sessionId) with { MetricsSent = true };
            Save();
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            Failures = 0;
            NextAttemptAt = 0;
            Save();
        }
    }

    /// <summary>A failed run: the error (never a header value: the transport's messages hold none) and the next try, 1 s doubling to 5 min.</summary>
    public TimeSpan Failed(string error)
    {
        lock (_gate)
        {
            Failures++;
            LastError = error;
            LastErrorAt = Model.Clock.Now();
            TimeSpan backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Min(Failures - 1, 16))));
            NextAttemptAt = LastErrorAt + backoff.TotalSeconds;
            Save();
            return backoff;
        }
    }

    public void Dropped(int entries, string warning)
    {
        lock (_gate)
        {
            DroppedEntries += entries;
            LastWarning = warning;
            Save();
        }
    }

    private void Save()
    {
        var buffer = new ArrayBufferWriter<byte>(256 + 80 * _sessions.Count);
        var sessions = new Dictionary<string, SessionOffsetDocument>(_sessions.Count, StringComparer.Ordinal);
        foreach (var (id, p) in _sessions)
        {
            sessions[id] = new SessionOffsetDocument
            {
                Offset = p.Offset, Finished = p.Finished, Skipped = string.IsNullOrEmpty(p.Skipped) ? null : p.Skipped, MetricsSent = p.MetricsSent ? true : null,
            };
        }
        var doc = new ShipStateDocument
        {
            LastSuccessAt = LastSuccessAt,
            LastError = LastError,
            LastErrorAt = LastErrorAt,
            Failures = Failures,
            NextAttemptAt = NextAttemptAt,
            DeliveredSpans = DeliveredSpans,
            DroppedEntries = DroppedEntries,
            LastWarning = LastWarning,
            Sessions = sessions,
        };
        DocumentJson.Write(buffer, doc.Write);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        SafeFile.WriteAtomic(_path, buffer.WrittenSpan, durable: true);
    }
}
