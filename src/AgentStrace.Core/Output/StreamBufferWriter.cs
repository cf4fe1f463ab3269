using System.Buffers;

namespace AgentStrace.Output;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over a stream with one pooled 64 KiB buffer: stdout and files share this one
/// sink and are flushed once per batch or command, never per line.
/// </summary>
public sealed class StreamBufferWriter(Stream stream, bool ownsStream = false) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _written;

    public static StreamBufferWriter Stdout() => new(StandardStream(1), ownsStream: true);
    public static StreamBufferWriter Stderr() => new(StandardStream(2), ownsStream: true);

    /// <summary>Descriptor 1 or 2 as a stream that leaves the terminal's modes alone (see <see cref="DescriptorStream"/>).</summary>
    public static Stream StandardStream(int fd) =>
        OperatingSystem.IsWindows() ? (fd == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError()) : new DescriptorStream(fd);

    public Stream Stream => stream;

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_buffer.Length - _written >= sizeHint) return;
        Flush();
        if (_buffer.Length < sizeHint)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
        }
    }

    public void Flush()
    {
        if (_written > 0)
        {
            stream.Write(_buffer, 0, _written);
            _written = 0;
        }
        stream.Flush();
    }

    public void Dispose()
    {
        Flush();
        ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
        _buffer = [];
        if (ownsStream) stream.Dispose();
    }
}
