using System.Buffers;
using System.Text.Json;
using AgentStrace.FileSystem;

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
            using var doc = JsonDocument.Parse(bytes);
            JsonElement root = doc.RootElement;
            c.SpoolGeneration = root.GetProperty("spool_generation").GetInt64();
            c.SpoolAcked = root.GetProperty("spool_acked").GetInt64();
            foreach (JsonProperty s in root.GetProperty("sessions").EnumerateObject())
            {
                c._sessions[s.Name] = new SessionProgress(s.Value.GetProperty("offset").GetInt64(), s.Value.GetProperty("finished").GetBoolean());
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new Errors.StoreCorruptException($"{path} is not a valid watch checkpoint ({ex.Message}); delete it to stream every active session from the start.");
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
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteNumber("version", 1);
                w.WriteNumber("spool_generation", SpoolGeneration);
                w.WriteNumber("spool_acked", SpoolAcked);
                w.WriteStartObject("sessions");
                foreach (var (id, p) in _sessions)
                {
                    w.WriteStartObject(id);
                    w.WriteNumber("offset", p.Offset);
                    w.WriteBoolean("finished", p.Finished);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            string temp = _path + "." + Environment.ProcessId + ".tmp";
            SafeFile.DeleteIfLeftOver(temp);
            using (FileStream f = SafeFile.OpenWrite(temp, FileMode.CreateNew))
            {
                f.Write(buffer.WrittenSpan);
                f.Flush(flushToDisk: true);
            }
            File.Move(temp, _path, overwrite: true);
        }
    }
}

/// <summary>A session's streaming progress: events before <see cref="Offset"/> have their spans spooled.</summary>
public readonly record struct SessionProgress(long Offset, bool Finished);
