using System.Buffers;

namespace AgentStrace.Json;

/// <summary>
/// A buffer writer that only counts: every write lands in one scratch buffer per thread, reused, so measuring the
/// length of a serialization (upstream's <c>len(json.dumps(data))</c> estimates) allocates nothing per call.
/// </summary>
public sealed class CountingBufferWriter : IBufferWriter<byte>
{
    [ThreadStatic] private static byte[]? t_scratch;

    private byte[] _scratch;

    public CountingBufferWriter() => _scratch = t_scratch ??= new byte[4096];

    public long Count { get; private set; }

    public void Advance(int count) => Count += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

    private byte[] Scratch(int sizeHint)
    {
        if (sizeHint > _scratch.Length)
        {
            // Kept for the thread's next count only while modest: one huge string should not pin its worst case.
            _scratch = new byte[Math.Max(sizeHint, _scratch.Length * 2)];
            if (_scratch.Length <= 1 << 20) t_scratch = _scratch;
        }
        return _scratch;
    }
}
