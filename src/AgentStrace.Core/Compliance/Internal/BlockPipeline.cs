using System.Threading.Channels;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// One pass over a session's lines on both cores: a reader thread cuts the file into blocks of whole lines, each block
/// is worked on the thread pool, and the results come back to the caller's thread in file order (where the output is
/// written and hashed). Memory is bounded by <c>ahead</c> blocks in flight.
/// </summary>
internal static class BlockPipeline
{
    // A class (not a tuple of structs) in a channel of tasks: the AOT binary shares the code of the export's channel.
    private sealed class Item<T>(LineBlock block, T result)
    {
        public LineBlock Block { get; } = block;
        public T Result { get; } = result;
    }

    // The array of the last long line consumed (one line longer than 1 MiB): the next long line, in this pass or the
    // next one over the same session, is read into it instead of into a new array while the old one waits for the GC
    // (a 200 MB event would otherwise cost 200 MB per pass).
    private static byte[]? s_longLine;

    private static byte[] RentLong(int length)
    {
        byte[]? held = Interlocked.Exchange(ref s_longLine, null);
        return held is not null && held.Length >= length ? held : GC.AllocateUninitializedArray<byte>(length);
    }

    private static void ReturnLong(byte[] buffer)
    {
        if (buffer.Length > 1 << 20 && (Volatile.Read(ref s_longLine)?.Length ?? 0) < buffer.Length) Volatile.Write(ref s_longLine, buffer);
    }

    /// <param name="cancellationToken">Checked before each block is consumed; a throw stops the reader as any failure does.</param>
    public static void Run<T>(string path, long limit, Func<LineBlock, T> work, Action<LineBlock, T> consume, int ahead = 8,
        CancellationToken cancellationToken = default)
    {
        var queue = Channel.CreateBounded<Task<Item<T>>>(new BoundedChannelOptions(ahead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = new CancellationTokenSource();
        var producer = new Task(() =>
        {
            Exception? failed = null;
            try
            {
                using var reader = new LineBlockReader(path, 64 * 1024, limit, longLineBuffer: RentLong);
                while (reader.Next() is LineBlock block)
                {
                    queue.Writer.WriteAsync(Task.Run(() => new Item<T>(block, work(block))), stop.Token).AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed = ex;
            }
            finally
            {
                queue.Writer.TryComplete(failed);
            }
        }, TaskCreationOptions.LongRunning);
        producer.Start();
        try
        {
            while (queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (queue.Reader.TryRead(out Task<Item<T>>? pending))
                {
                    Item<T> item = pending.GetAwaiter().GetResult();
                    cancellationToken.ThrowIfCancellationRequested();
                    consume(item.Block, item.Result);
                    ReturnLong(item.Block.Buffer); // consumed: nothing refers to the block any more
                }
            }
        }
        finally
        {
            stop.Cancel();
            try { producer.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        }
    }
}

/// <summary>The lines of a block as <see cref="LineReader"/> hands them out: without the newline, numbered from the block's first line.</summary>
internal ref struct BlockLines(LineBlock block)
{
    private ReadOnlyMemory<byte> _rest = block.Buffer.AsMemory(0, block.Length);
    private long _next = block.FirstLine;

    public ReadOnlyMemory<byte> Current { get; private set; }
    public long LineNumber { get; private set; }
    public bool Terminated { get; private set; }

    public bool MoveNext()
    {
        if (_rest.IsEmpty) return false;
        int nl = _rest.Span.IndexOf((byte)'\n');
        Terminated = nl >= 0 || block.EndsTerminated;
        Current = nl >= 0 ? _rest[..nl] : _rest;
        _rest = nl >= 0 ? _rest[(nl + 1)..] : default;
        LineNumber = _next++;
        return true;
    }
}

/// <summary>
/// The events of a block as every package pass reads them: each line that is not blank (a trailing <c>\r</c> dropped,
/// as upstream hashes it), parsed with its data left a slice of the block; <see cref="Event"/> is null for a line that
/// is not an event.
/// </summary>
internal ref struct BlockEvents(LineBlock block)
{
    private BlockLines _lines = new(block);

    public TraceEvent? Event { get; private set; }
    public ReadOnlyMemory<byte> Line { get; private set; }
    public readonly long LineNumber => _lines.LineNumber;

    public bool MoveNext()
    {
        while (_lines.MoveNext())
        {
            Line = LineFields.Normalize(_lines.Current);
            if (LineFields.IsBlank(Line.Span)) continue;
            Event = EventLine.TryParse(Line, _lines.LineNumber, out _, EventParseMode.Slice);
            return true;
        }
        return false;
    }
}
