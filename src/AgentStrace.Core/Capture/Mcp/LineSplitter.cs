using System.Buffers;

namespace AgentStrace.Capture.Mcp;

/// <summary>Cuts a byte stream into newline-delimited messages (MCP stdio framing) for recording only; lines over the cap are dropped.</summary>
public sealed class LineSplitter(Action<byte[]> onLine, int maxLine = 16 << 20)
{
    private readonly ArrayBufferWriter<byte> _partial = new(4096);
    private bool _overflow;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            int nl = chunk.IndexOf((byte)'\n');
            ReadOnlySpan<byte> piece = nl < 0 ? chunk : chunk[..nl];
            if (!_overflow && _partial.WrittenCount + piece.Length <= maxLine) _partial.Write(piece);
            else _overflow = true;
            if (nl < 0) return;
            if (!_overflow && _partial.WrittenCount > 0) onLine(_partial.WrittenSpan.TrimEnd((byte)'\r').ToArray());
            _partial.ResetWrittenCount();
            _overflow = false;
            chunk = chunk[(nl + 1)..];
        }
    }

    /// <summary>A final message without a trailing newline.</summary>
    public void Flush()
    {
        if (!_overflow && _partial.WrittenCount > 0) onLine(_partial.WrittenSpan.ToArray());
        _partial.ResetWrittenCount();
    }
}
