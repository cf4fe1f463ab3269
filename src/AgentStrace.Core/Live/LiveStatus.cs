using System.Buffers;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;
using AgentStrace.Model;

namespace AgentStrace.Live;

/// <summary>
/// Counters of a running watch, written to <c>&lt;store&gt;/.spool/status.json</c> about once a second (atomic
/// replace) and read by <c>watch --status</c>.
/// </summary>
public sealed class LiveStatus
{
    public const string FileName = "status.json";
    private readonly object _gate = new();

    public string Destination { get; init; } = "";
    public long SentSpans { get; private set; }
    public long RejectedSpans { get; private set; }
    public string LastError { get; private set; } = "";
    public double LastErrorAt { get; private set; }
    public double LastSuccessAt { get; private set; }

    public void Delivered(long spans, long rejected)
    {
        lock (_gate)
        {
            SentSpans += spans;
            RejectedSpans += rejected;
            LastSuccessAt = Clock.Now();
        }
    }

    public void Failed(string error)
    {
        lock (_gate)
        {
            LastError = error;
            LastErrorAt = Clock.Now();
        }
    }

    /// <summary>Writes the status file: this process, followed sessions, tail lag, spool depth, delivery counters.</summary>
    public void Write(string path, int sessions, long lagBytes, double? lastEventAt, Spool.SpanSpool? spool, bool running)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        double now = Clock.Now();
        WatchStatusDocument doc;
        lock (_gate)
        {
            doc = new WatchStatusDocument
            {
                Pid = Environment.ProcessId,
                Running = running,
                UpdatedAt = now,
                SessionsFollowed = sessions,
                TailLagBytes = lagBytes,
                LastEventAt = lastEventAt,
                Destination = Destination,
                SpooledSpans = spool?.PendingSpans ?? 0,
                SpooledBytes = spool?.PendingBytes ?? 0,
                OldestSpooledAgeSeconds = spool?.OldestPendingAt is double oldest ? Math.Round(now - oldest, 3) : null,
                DroppedSpans = spool?.DroppedSpans ?? 0,
                DamagedRecords = spool?.DamagedRecords ?? 0,
                SentSpans = SentSpans,
                RejectedSpans = RejectedSpans,
                LastSuccessAt = LastSuccessAt > 0 ? LastSuccessAt : null,
                LastError = LastError,
                LastErrorAt = LastErrorAt > 0 ? LastErrorAt : null,
            };
        }
        DocumentJson.Write(buffer, doc.Write);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafeFile.WriteAtomic(path, buffer.WrittenSpan);
    }
}
