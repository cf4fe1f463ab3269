using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>
/// A first-in first-out queue of events that keeps at most <c>limit</c> in memory: beyond that the older ones wait in
/// an owner-only scratch file (`SafeFile.CreateScratch`), so a file with any number of events between two model calls is
/// read in bounded memory and still in order. The events are already redacted when they get here.
/// </summary>
internal sealed class EventQueue(int limit) : IDisposable
{
    private readonly Queue<TraceEvent> _memory = new();
    private FileStream? _file;
    private BinaryWriter? _writer;
    private BinaryReader? _reader;
    private long _readAt, _writeAt;
    private int _onDisk;

    public int Count => _onDisk + _memory.Count;

    /// <summary>True once events went to the temporary file (tests).</summary>
    public bool Spilled { get; private set; }

    public void Enqueue(TraceEvent e)
    {
        _memory.Enqueue(e);
        if (_memory.Count > limit) Spill();
    }

    public bool TryDequeue(out TraceEvent e)
    {
        if (_onDisk > 0)
        {
            e = ReadOne();
            return true;
        }
        return _memory.TryDequeue(out e!);
    }

    // Every event in memory goes after those already on disk (all older than the ones in memory).
    private void Spill()
    {
        Spilled = true;
        if (_file is null)
        {
            _file = SafeFile.CreateScratch("agent-strace-", bufferSize: 64 * 1024);
            _writer = new BinaryWriter(_file, System.Text.Encoding.UTF8, leaveOpen: true);
            _reader = new BinaryReader(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        }
        _file.Position = _writeAt;
        BinaryWriter w = _writer!;
        while (_memory.TryDequeue(out TraceEvent? e))
        {
            w.Write((int)e.Type);
            w.Write(e.Timestamp);
            w.Write(e.EventId);
            w.Write(e.SessionId);
            w.Write(e.ParentId);
            w.Write(e.DurationMs.HasValue);
            w.Write(e.DurationMs ?? 0);
            w.Write(e.Redacted);
            w.Write(e.TenantId);
            ReadOnlySpan<byte> data = e.Data.Raw.Span;
            w.Write(data.Length);
            w.Write(data);
            _onDisk++;
        }
        w.Flush();
        _writeAt = _file.Position;
    }

    private TraceEvent ReadOne()
    {
        FileStream file = _file!;
        if (file.Position != _readAt) file.Position = _readAt;
        BinaryReader r = _reader!;
        var type = (EventType)r.ReadInt32();
        double timestamp = r.ReadDouble();
        string eventId = r.ReadString(), sessionId = r.ReadString(), parentId = r.ReadString();
        bool hasDuration = r.ReadBoolean();
        double duration = r.ReadDouble();
        bool redacted = r.ReadBoolean();
        string tenant = r.ReadString();
        byte[] data = r.ReadBytes(r.ReadInt32());
        _readAt = file.Position;
        if (--_onDisk == 0)
        {
            // Drained: the file is reused from its start.
            file.SetLength(0);
            _readAt = _writeAt = 0;
        }
        return new TraceEvent
        {
            Type = type, Timestamp = timestamp, EventId = eventId, SessionId = sessionId, ParentId = parentId,
            DurationMs = hasDuration ? duration : null, Data = new RawJsonObject(data), Redacted = redacted, TenantId = tenant,
        };
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _reader?.Dispose();
        _file?.Dispose();
        _file = null;
    }
}
