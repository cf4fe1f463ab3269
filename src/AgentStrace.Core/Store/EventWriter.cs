using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// Appends events to one session's <c>events.ndjson</c>: each line is written whole, in one write, under the
/// session lock, with <c>prev_hash</c> = SHA-256 of the previous stored line (upstream's prev_hash chain).
/// </summary>
/// <remarks>
/// The previous line's hash is kept in a <c>.tail</c> sidecar as "&lt;file length&gt; &lt;hash&gt;", so an
/// append never re-reads the file. When the length does not match or the sidecar is missing (another writer, a crash
/// between the two writes, a file written whole by <see cref="WriteNew"/>), the hash is rebuilt from the last line by
/// reading backwards from the end.
/// </remarks>
public sealed class EventWriter(string sessionDir)
{
    private static int s_appended;

    /// <summary>Lines this process has appended (a hook spills an event only when it wrote nothing yet).</summary>
    public static int AppendedInProcess => Volatile.Read(ref s_appended);

    public string SessionDir { get; } = sessionDir;
    public string EventsPath => Path.Combine(SessionDir, "events.ndjson");
    private string TailPath => Path.Combine(SessionDir, ".tail");

    /// <summary>Appends the event and returns it as stored (with its prev_hash).</summary>
    public TraceEvent Append(TraceEvent e)
    {
        using var _ = SessionLock.Acquire(SessionDir);
        return AppendLocked(e);
    }

    /// <summary>Appends several events under one lock.</summary>
    public void AppendRange(IEnumerable<TraceEvent> events)
    {
        using var _ = SessionLock.Acquire(SessionDir);
        foreach (TraceEvent e in events) AppendLocked(e);
    }

    /// <summary>Appends while the caller already holds <see cref="SessionLock"/>.</summary>
    public TraceEvent AppendLocked(TraceEvent e)
    {
        using FileStream file = SafeFile.OpenReadWrite(EventsPath);
        long length = file.Length;
        string prev = PreviousHash(file, length, out bool needsNewline);
        TraceEvent stored = Chained(e, prev);
        var buffer = new ArrayBufferWriter<byte>(256 + e.Data.Raw.Length);
        if (needsNewline) buffer.Write("\n"u8);
        int lineStart = buffer.WrittenCount;
        EventLine.Write(stored, buffer);
        string hash = Sha256.HashHex(buffer.WrittenSpan[lineStart..]);
        buffer.Write("\n"u8);
        Commit(file, length, buffer, hash);
        return stored;
    }

    private static TraceEvent Chained(TraceEvent e, string prev) => new()
    {
        Type = e.Type, Timestamp = e.Timestamp, EventId = e.EventId, SessionId = e.SessionId, ParentId = e.ParentId,
        DurationMs = e.DurationMs, Data = e.Data, PrevHash = prev, Redacted = e.Redacted, TenantId = e.TenantId,
    };

    /// <summary>Writes the lines at <paramref name="length"/> in one write, then the tail sidecar.</summary>
    private void Commit(FileStream file, long length, ArrayBufferWriter<byte> buffer, string lastHash)
    {
        file.Seek(length, SeekOrigin.Begin);
        try
        {
            file.Write(buffer.WrittenSpan);
            file.Flush();
        }
        catch (IOException)
        {
            // Note: disk full mid-write must not leave half a line behind (the chain and readers would break).
            try { file.SetLength(length); } catch (IOException) { }
            throw;
        }
        Interlocked.Increment(ref s_appended);
        WriteTail(length + buffer.WrittenCount, lastHash);
    }

    /// <summary>
    /// Appends many events in one write while the caller holds <see cref="SessionLock"/>: the lines are chained in
    /// memory, written once, and the <c>.tail</c> sidecar is updated once (an import of thousands of events costs
    /// one write, not thousands). On a failed write nothing of the batch stays behind.
    /// </summary>
    public int AppendBatchLocked(IEnumerable<TraceEvent> events)
    {
        using FileStream file = OpenTail(out long length, out string prev, out ArrayBufferWriter<byte> buffer);
        var link = new ChainLink(prev);
        int count = 0;
        foreach (TraceEvent e in events)
        {
            ChainOne(e, link, buffer);
            count++;
        }
        if (count == 0) return 0;
        Commit(file, length, buffer, link.Text);
        return count;
    }

    // Opens the events file to append: its length, the last line's hash, and a buffer that already holds the newline a
    // file ending mid-line needs.
    private FileStream OpenTail(out long length, out string prev, out ArrayBufferWriter<byte> buffer)
    {
        FileStream file = SafeFile.OpenReadWrite(EventsPath);
        bool needsNewline;
        try
        {
            length = file.Length;
            prev = PreviousHash(file, length, out needsNewline);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        buffer = new ArrayBufferWriter<byte>(64 * 1024);
        if (needsNewline) buffer.Write("\n"u8);
        return file;
    }

    /// <summary>
    /// Writes a new events file (it must not exist yet: an import's session staged in a directory of its own) holding
    /// the chained events, in parts of whole lines as they are read (memory does not grow with the session) and without
    /// a <c>.tail</c> sidecar (the first later append rebuilds it). On failure the caller removes the staged file.
    /// </summary>
    public static int WriteNew(string path, IEnumerable<TraceEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var link = new ChainLink("");
        int count = 0;
        using FileStream file = SafeFile.OpenWrite(path, FileMode.CreateNew);
        foreach (TraceEvent e in events)
        {
            ChainOne(e, link, buffer);
            count++;
            if (buffer.WrittenCount < StreamPartBytes) continue;
            file.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
        file.Write(buffer.WrittenSpan);
        Interlocked.Increment(ref s_appended);
        return count;
    }

    // One event as a line with prev_hash = the link, then the link = the hash of that line, hashed from the bytes just
    // written and kept as hex digits (no string per line).
    private static void ChainOne(TraceEvent e, ChainLink link, ArrayBufferWriter<byte> buffer)
    {
        int lineStart = buffer.WrittenCount;
        if (link.Start is { } start) EventLine.Write(e, start, buffer);
        else EventLine.Write(e, link.Hex, buffer);
        ReadOnlySpan<byte> line = buffer.WrittenSpan[lineStart..];
        Span<byte> digest = stackalloc byte[32];
        if (Interlocked.Increment(ref s_chained) <= PlatformHashAfter) Sha256.Hash(line, digest);
        else Sha256.PlatformHash(line, digest);
        link.Set(digest);
        buffer.Write("\n"u8);
    }

    /// <summary>The previous line's hash while lines are chained: the stored one a batch starts from, then the
    /// lowercase hex digits of each line's digest.</summary>
    private sealed class ChainLink(string start)
    {
        private readonly byte[] _hex = new byte[64];

        /// <summary>The hash the batch started from, until a line is chained.</summary>
        public string? Start { get; private set; } = start;

        public ReadOnlySpan<byte> Hex => _hex;

        public string Text => Start ?? Encoding.ASCII.GetString(_hex);

        public void Set(ReadOnlySpan<byte> digest)
        {
            ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
            for (int i = 0; i < 32; i++)
            {
                _hex[2 * i] = digits[digest[i] >> 4];
                _hex[2 * i + 1] = digits[digest[i] & 15];
            }
            Start = null;
        }
    }

    /// <summary>
    /// Batched lines this process hashes with the managed SHA-256 before the platform one takes over: a hook's few lines
    /// do not pay for loading OpenSSL (~2-3 ms), an import's thousands get its SHA-NI speed. Both give the same digest.
    /// </summary>
    private const int PlatformHashAfter = 32;

    private static int s_chained;

    private string PreviousHash(FileStream file, long length, out bool needsNewline)
    {
        needsNewline = false;
        if (length == 0) return "";
        if (TryReadTail(out long tailLength, out string tailHash) && tailLength == length) return tailHash;
        return RebuildFromEnd(file, length, out needsNewline);
    }

    private bool TryReadTail(out long length, out string hash)
    {
        length = -1;
        hash = "";
        try
        {
            string? text = SafeFile.TryReadAllText(TailPath, 256);
            if (text is null) return false;
            int space = text.IndexOf(' ');
            if (space <= 0) return false;
            hash = text[(space + 1)..].Trim();
            return hash.Length == 64 && long.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out length);
        }
        catch (IOException ex) when (ex is not UnsafeFileException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private void WriteTail(long length, string hash)
    {
        try
        {
            // Overwritten in place, not truncated: truncating to zero frees the file's block, and ext4 then writes the
            // new data out at close (and discards the block on `discard` mounts), 0.6 ms on average per hook here and
            // up to 7 ms. It is read and written under the session lock only; one whose length is not the log's is
            // rebuilt from the log's end, as before.
            byte[] text = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{length} {hash}\n"));
            using FileStream tail = SafeFile.OpenWrite(TailPath, FileMode.OpenOrCreate);
            tail.Write(text);
            if (tail.Length > text.Length) tail.SetLength(text.Length);
        }
        catch (IOException ex) when (ex is not UnsafeFileException) { }
        catch (UnauthorizedAccessException) { }
    }

    // Hash of the last line that parses as an event (the verifier skips unparsable lines).
    private static string RebuildFromEnd(FileStream file, long length, out bool needsNewline)
    {
        byte[] last = new byte[1];
        file.Seek(length - 1, SeekOrigin.Begin);
        file.ReadExactly(last);
        needsNewline = last[0] != (byte)'\n';
        long end = needsNewline ? length : length - 1;
        while (end > 0)
        {
            long start = FindLineStart(file, end);
            byte[] line = new byte[end - start];
            file.Seek(start, SeekOrigin.Begin);
            file.ReadExactly(line);
            ReadOnlySpan<byte> trimmed = line.AsSpan().TrimEnd("\r"u8);
            if (!trimmed.Trim(" \t"u8).IsEmpty && EventLine.TryParse(trimmed, 0, out _) is not null)
            {
                return Sha256.HashHex(line);
            }
            end = start - 1;
        }
        return "";
    }

    private static long FindLineStart(FileStream file, long end)
    {
        byte[] chunk = new byte[8192];
        long pos = end;
        while (pos > 0)
        {
            int n = (int)Math.Min(chunk.Length, pos);
            file.Seek(pos - n, SeekOrigin.Begin);
            file.ReadExactly(chunk, 0, n);
            int nl = chunk.AsSpan(0, n).LastIndexOf((byte)'\n');
            if (nl >= 0) return pos - n + nl + 1;
            pos -= n;
        }
        return 0;
    }

    /// <summary>A streamed batch goes to the file in parts of whole lines about this large.</summary>
    private const int StreamPartBytes = 1 << 20;

    /// <summary>
    /// As <see cref="AppendBatchLocked"/> for a batch read while it is written (a large import): the lines go out in
    /// parts of whole lines, so memory does not grow with the batch, and the <c>.tail</c> sidecar is updated once at the
    /// end. When a write fails or enumerating <paramref name="events"/> throws, everything already written is removed.
    /// </summary>
    public int AppendStreamLocked(IEnumerable<TraceEvent> events)
    {
        using FileStream file = OpenTail(out long length, out string prev, out ArrayBufferWriter<byte> buffer);
        var link = new ChainLink(prev);
        int count = 0;
        long written = 0;
        try
        {
            foreach (TraceEvent e in events)
            {
                ChainOne(e, link, buffer);
                count++;
                if (buffer.WrittenCount < StreamPartBytes) continue;
                file.Seek(length + written, SeekOrigin.Begin);
                file.Write(buffer.WrittenSpan);
                written += buffer.WrittenCount;
                buffer.ResetWrittenCount();
            }
            if (count == 0) return 0;
            file.Seek(length + written, SeekOrigin.Begin);
            file.Write(buffer.WrittenSpan);
            file.Flush();
            written += buffer.WrittenCount;
        }
        catch (Exception) when (count > 0)
        {
            // Note: a failed import must not leave part of its batch behind (the chain and readers would break).
            try { file.SetLength(length); } catch (IOException) { }
            throw;
        }
        Interlocked.Increment(ref s_appended);
        WriteTail(length + written, link.Text);
        return count;
    }
}
