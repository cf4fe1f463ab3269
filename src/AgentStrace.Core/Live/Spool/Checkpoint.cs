using System.Buffers;
using System.Text.Json;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;

namespace AgentStrace.Live.Spool;

/// <summary>
/// Where a streaming <c>watch</c> resumes after a restart (<c>&lt;store&gt;/.spool/checkpoint.json</c>): per session,
/// the events.ndjson offset whose spans are already spooled and whether its root span was spooled; for the spool,
/// the generation (file) and the acknowledged position (everything before it was delivered).
/// </summary>
/// <remarks>Thread-safe; <see cref="Save"/> replaces the file atomically (temp file + rename), so a kill -9 leaves
/// either the old or the new checkpoint.</remarks>
public sealed class Checkpoint
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, SessionProgress> _sessions = new(StringComparer.Ordinal);

    private Checkpoint(string path) => _path = path;

    public long SpoolGeneration { get; private set; }
    public long SpoolAcked { get; private set; }

    public static Checkpoint Load(string path)
    {
        var c = new Checkpoint(path);
        byte[]? bytes = SafeFile.TryReadAllBytes(path, 64 << 20);
        if (bytes is null) return c;
        try
        {
            CheckpointDocument doc = CheckpointDocument.Parse(bytes);
            c.SpoolGeneration = doc.SpoolGeneration;
            c.SpoolAcked = doc.SpoolAcked;
            foreach (var (id, s) in doc.Sessions) c._sessions[id] = new SessionProgress(s.Offset, s.Finished);
        }
        catch (JsonException ex)
        {
            throw new Errors.StoreCorruptException($"{path} is not a valid watch checkpoint ({DocumentJson.Describe(ex)}); delete it to stream every active session from the start.");
        }
        return c;
    }

    public SessionProgress? Get(string sessionId)
    {
        lock (_gate) return _sessions.TryGetValue(sessionId, out SessionProgress p) ? p : null;
    }

    public void SetSession(string sessionId, long offset, bool finished)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(sessionId, out SessionProgress old))
            {
                offset = Math.Max(offset, old.Offset);
                finished |= old.Finished;
            }
            _sessions[sessionId] = new SessionProgress(offset, finished);
        }
    }

    public void SetSpool(long generation, long acked)
    {
        lock (_gate)
        {
            SpoolGeneration = generation;
            SpoolAcked = acked;
        }
    }

    public void Save()
    {
        lock (_gate)
        {
            var buffer = new ArrayBufferWriter<byte>(256 + 96 * _sessions.Count);
            var sessions = new Dictionary<string, SessionOffsetDocument>(_sessions.Count, StringComparer.Ordinal);
            foreach (var (id, p) in _sessions) sessions[id] = new SessionOffsetDocument { Offset = p.Offset, Finished = p.Finished };
            var doc = new CheckpointDocument { SpoolGeneration = SpoolGeneration, SpoolAcked = SpoolAcked, Sessions = sessions };
            DocumentJson.Write(buffer, doc.Write);
            SafeFile.WriteAtomic(_path, buffer.WrittenSpan, durable: true);
        }
    }
}

/// <summary>A session's streaming progress: events before <see cref="Offset"/> have their spans spooled.</summary>
public readonly record struct SessionProgress(long Offset, bool Finished);
