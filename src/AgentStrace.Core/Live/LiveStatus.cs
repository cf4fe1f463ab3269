using System.Buffers;
using System.Text.Json;
using AgentStrace.FileSystem;
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
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            double now = Clock.Now();
            w.WriteStartObject();
            w.WriteNumber("pid", Environment.ProcessId);
            w.WriteBoolean("running", running);
            w.WriteNumber("updated_at", now);
            w.WriteNumber("sessions_followed", sessions);
            w.WriteNumber("tail_lag_bytes", lagBytes);
            if (lastEventAt is double at) w.WriteNumber("last_event_at", at);
            w.WriteString("destination", Destination);
            lock (_gate)
            {
                w.WriteNumber("spooled_spans", spool?.PendingSpans ?? 0);
                w.WriteNumber("spooled_bytes", spool?.PendingBytes ?? 0);
                if (spool?.OldestPendingAt is double oldest) w.WriteNumber("oldest_spooled_age_seconds", Math.Round(now - oldest, 3));
                w.WriteNumber("dropped_spans", spool?.DroppedSpans ?? 0);
                w.WriteNumber("damaged_records", spool?.DamagedRecords ?? 0);
                w.WriteNumber("sent_spans", SentSpans);
                w.WriteNumber("rejected_spans", RejectedSpans);
                if (LastSuccessAt > 0) w.WriteNumber("last_success_at", LastSuccessAt);
                w.WriteString("last_error", LastError);
                if (LastErrorAt > 0) w.WriteNumber("last_error_at", LastErrorAt);
            }
            w.WriteEndObject();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafeFile.WriteAtomic(path, buffer.WrittenSpan);
    }
}
