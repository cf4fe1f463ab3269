namespace AgentStrace.FileSystem;

/// <summary>
/// Reads at most a fixed number of bytes: the package writer snapshots each events.ndjson length once, so a
/// session that is still being appended to gives the same lines on every pass.
/// </summary>
internal sealed class BoundedStream(Stream inner, long limit, bool ownsInner) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        long left = limit - _read;
        if (left <= 0) return 0;
        int n = inner.Read(buffer, offset, (int)Math.Min(count, left));
        _read += n;
        return n;
    }

    public override void Flush() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner) inner.Dispose();
        base.Dispose(disposing);
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
