using System.Globalization;
using AgentStrace.FileSystem;
using Microsoft.Win32.SafeHandles;

namespace AgentStrace.Live.Spool;

/// <summary>
/// The durable queue between the tailer and the sender (<c>&lt;store&gt;/.spool/spans-&lt;generation&gt;.bin</c>):
/// append-only, checksummed records (<see cref="SpoolFormat"/>), fsynced before the tailer's checkpoint moves on.
/// The sender reads from the acknowledged position and acknowledges what the collector accepted; once everything
/// is acknowledged the file is replaced by an empty next generation, so the spool never grows without bound.
/// </summary>
/// <remarks>Thread-safe. A size cap drops the oldest unsent records (warned once, counted in <see cref="DroppedSpans"/>)
/// instead of filling the disk; once the delivered or dropped prefix reaches half the cap, the surviving records are
/// copied to a new generation, so the file never exceeds the cap plus one such half-cap segment (and one batch).
/// Positions handed out by <see cref="Peek"/> are logical (they survive a generation switch).</remarks>
public sealed class SpanSpool : IDisposable
{
    private readonly object _gate = new();
    private readonly string _directory;
    private readonly Checkpoint _checkpoint;
    private readonly long _capBytes;
    private readonly Action<string> _warn;
    private FileStream _file;
    private SafeFileHandle _read;
    private long _end;
    // Logical position of byte 0 of the current generation: Peek/Acknowledge positions stay valid across a switch.
    private long _base;
    private bool _warnedDrop;

    public SpanSpool(string directory, Checkpoint checkpoint, long capBytes, Action<string> warn)
    {
        _directory = directory;
        _checkpoint = checkpoint;
        _capBytes = capBytes;
        _warn = warn;
        Directory.CreateDirectory(directory);
        Generation = checkpoint.SpoolGeneration;
        Acked = checkpoint.SpoolAcked;
        DeleteOtherGenerations();
        Leftovers.Sweep(directory); // checkpoint and status temp files of a killed watch
        (_file, _read) = OpenFile(PathOf(Generation));
        Recover();
    }

    public long Generation { get; private set; }
    public long Acked { get; private set; }
    public long End { get { lock (_gate) return _end; } }
    public long PendingBytes { get { lock (_gate) return _end - Acked; } }
    public int PendingSpans { get; private set; }
    public long DroppedSpans { get; private set; }
    public long DamagedRecords { get; private set; }
    /// <summary>When the oldest unsent span was spooled (Unix seconds); null when nothing is pending.</summary>
    public double? OldestPendingAt { get; private set; }
    /// <summary>Per session, the largest source offset found in unsent records at startup (see <see cref="Checkpoint"/>).</summary>
    public Dictionary<string, long> RecoveredOffsets { get; } = new(StringComparer.Ordinal);
    public HashSet<string> RecoveredRoots { get; } = new(StringComparer.Ordinal);

    public string PathOf(long generation) => Path.Combine(_directory, "spans-" + generation.ToString(CultureInfo.InvariantCulture) + ".bin");

    /// <summary>Appends and fsyncs the records; enforces the size cap.</summary>
    public void Append(IReadOnlyList<SpoolRecord> records)
    {
        if (records.Count == 0) return;
        lock (_gate)
        {
            foreach (SpoolRecord r in records) _file.Write(SpoolFormat.Encode(r));
            _file.Flush(flushToDisk: true);
            _end = _file.Position;
            PendingSpans += records.Count;
            OldestPendingAt ??= records[0].SpooledAt;
            if (_end - Acked > _capBytes) DropOldest();
            if (Acked > 0 && Acked >= Math.Max(_capBytes / 2, 1)) Compact();
        }
    }

    /// <summary>Reads up to <paramref name="max"/> unsent records from the acknowledged position (not removing them).</summary>
    public List<(SpoolRecord Record, long End)> Peek(int max)
    {
        lock (_gate)
        {
            var list = new List<(SpoolRecord, long)>();
            long pos = Acked;
            while (list.Count < max)
            {
                var result = SpoolReader.ReadNext(_read, ref pos, _end, out SpoolRecord? r, Warn);
                if (result == SpoolReader.Result.End) break;
                if (result == SpoolReader.Result.Record) list.Add((r!, pos + _base));
            }
            if (list.Count == 0 && pos > Acked) SetAcked(pos); // only damaged data was left
            return list;
        }
    }

    /// <summary>Marks delivered records; starts a new generation when nothing is left.</summary>
    public void Acknowledge(List<(SpoolRecord Record, long End)> delivered)
    {
        if (delivered.Count == 0) return;
        lock (_gate)
        {
            int newly = delivered.Count(d => d.End - _base > Acked);
            long end = delivered[^1].End - _base;
            if (end <= Acked) return; // dropped by the cap while in flight
            PendingSpans = Math.Max(0, PendingSpans - newly);
            SetAcked(end);
            OldestPendingAt = PendingSpans == 0 ? null : OldestPendingAt is null ? null : Math.Max(OldestPendingAt.Value, delivered[^1].Record.SpooledAt);
        }
    }

    private void SetAcked(long pos)
    {
        Acked = pos;
        if (Acked >= _end && _end > 0)
        {
            // Everything delivered: switch to an empty next generation, then delete the old file.
            string old = PathOf(Generation);
            _file.Dispose();
            _read.Dispose();
            Generation++;
            _base += _end;
            Acked = 0;
            _end = 0;
            PendingSpans = 0;
            OldestPendingAt = null;
            (_file, _read) = OpenFile(PathOf(Generation));
            _checkpoint.SetSpool(Generation, 0);
            _checkpoint.Save();
            File.Delete(old);
            return;
        }
        _checkpoint.SetSpool(Generation, Acked);
        _checkpoint.Save();
    }

    private void DropOldest()
    {
        long target = _end - _capBytes * 9 / 10;
        long pos = Acked;
        int dropped = 0;
        while (pos < target)
        {
            var result = SpoolReader.ReadNext(_read, ref pos, _end, out _, Warn);
            if (result == SpoolReader.Result.End) break;
            if (result == SpoolReader.Result.Record) dropped++;
        }
        DroppedSpans += dropped;
        PendingSpans = Math.Max(0, PendingSpans - dropped);
        if (!_warnedDrop)
        {
            _warn($"spool is over its cap of {_capBytes / (1024.0 * 1024):0.##} MB (is the collector down?): dropping the oldest unsent spans ({dropped} so far; 'watch --status' counts them)");
            _warnedDrop = true;
        }
        SetAcked(pos);
    }

    /// <summary>Copies the unsent records to the next generation and deletes the current file, so bytes already
    /// delivered or dropped stop taking disk space. Crash-safe: until the checkpoint names the new generation, the
    /// old file is the spool (and startup deletes the other).</summary>
    private void Compact()
    {
        string old = PathOf(Generation), next = PathOf(Generation + 1);
        long from = Acked, length = _end - Acked;
        using (FileStream target = SafeFile.OpenWrite(next, FileMode.Create)) // never through a link planted in the store
        {
            byte[] chunk = new byte[Math.Min(Math.Max(length, 1), 1 << 20)];
            for (long done = 0; done < length;)
            {
                int n = RandomAccess.Read(_read, chunk.AsSpan(0, (int)Math.Min(chunk.Length, length - done)), from + done);
                if (n <= 0) break;
                target.Write(chunk, 0, n);
                done += n;
            }
            target.Flush(flushToDisk: true);
        }
        _file.Dispose();
        _read.Dispose();
        Generation++;
        _base += from;
        Acked = 0;
        _end = length;
        (_file, _read) = OpenFile(next);
        _checkpoint.SetSpool(Generation, 0);
        _checkpoint.Save();
        File.Delete(old);
    }

    // Counts what is pending, finds how far each session got and cuts off a record torn by a crash.
    private void Recover()
    {
        long length = RandomAccess.GetLength(_read);
        if (Acked > length)
        {
            _warn($"spool checkpoint points past the end of {PathOf(Generation)}; resending from its start");
            Acked = 0;
        }
        long pos = Acked;
        while (true)
        {
            var result = SpoolReader.ReadNext(_read, ref pos, length, out SpoolRecord? r, Warn);
            if (result == SpoolReader.Result.End) break;
            if (result != SpoolReader.Result.Record) continue;
            PendingSpans++;
            OldestPendingAt ??= r!.SpooledAt;
            RecoveredOffsets[r!.SessionId] = Math.Max(r.SourceOffset, RecoveredOffsets.GetValueOrDefault(r.SessionId));
            if (r.IsRoot) RecoveredRoots.Add(r.SessionId);
        }
        if (pos < length)
        {
            _warn($"spool ends with a record cut short (watch was killed while writing it): removed {length - pos} bytes");
            _file.SetLength(pos);
        }
        _end = pos;
        _file.Position = pos;
    }

    private void Warn(string message)
    {
        DamagedRecords++;
        _warn(message);
    }

    private void DeleteOtherGenerations()
    {
        foreach (string f in Directory.EnumerateFiles(_directory, "spans-*.bin"))
        {
            if (!string.Equals(f, PathOf(Generation), StringComparison.Ordinal)) File.Delete(f);
        }
    }

    private static (FileStream, SafeFileHandle) OpenFile(string path)
    {
        FileStream file = SafeFile.OpenReadWrite(path);
        file.Seek(0, SeekOrigin.End);
        SafeFileHandle read = SafeFile.Open(path, FileMode.Open, FileAccess.Read);
        return (file, read);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
            _read.Dispose();
        }
    }
}
