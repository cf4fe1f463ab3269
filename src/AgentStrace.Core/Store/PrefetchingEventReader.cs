using System.Threading.Channels;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// Reads and parses events off the consumer's thread: one task cuts the file into blocks of whole lines, the blocks are
/// parsed in parallel, and the consumer gets each block's events in file order. Parsing overlaps with whatever the
/// consumer does (span building, encoding, sending); memory is bounded by <c>blocksAhead</c> blocks.
/// </summary>
/// <remarks>
/// An event's <see cref="TraceEvent.Data"/> is a slice of its block's buffer; a consumer that keeps events for long
/// should keep <see cref="TraceEvent.WithOwnData"/> copies so a whole block is not held for one event.
/// </remarks>
public static class PrefetchingEventReader
{
    private sealed record ParsedBlock(List<TraceEvent> Events, List<MalformedLine>? Malformed);

    public static async IAsyncEnumerable<List<TraceEvent>> ReadChunksAsync(string path, Action<MalformedLine>? onMalformed,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default, int blockSize = 64 * 1024, int blocksAhead = 16,
        Action<List<TraceEvent>>? prepare = null, Func<EventType, bool>? only = null)
    {
        if (!File.Exists(path)) yield break;
        var channel = Channel.CreateBounded<Task<ParsedBlock>>(new BoundedChannelOptions(blocksAhead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = Task.Run(async () =>
        {
            try
            {
                using var blocks = new LineBlockReader(path, blockSize);
                while (blocks.Next() is LineBlock block)
                {
                    await channel.Writer.WriteAsync(Task.Run(() => Parse(path, block, prepare, only)), cts.Token);
                }
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, cts.Token);
        try
        {
            await foreach (Task<ParsedBlock> pending in channel.Reader.ReadAllAsync(cancellationToken))
            {
                ParsedBlock parsed = await pending;
                if (parsed.Malformed is not null && onMalformed is not null)
                {
                    foreach (MalformedLine m in parsed.Malformed) onMalformed(m);
                }
                if (parsed.Events.Count > 0) yield return parsed.Events;
            }
        }
        finally
        {
            await cts.CancelAsync();
            try { await producer; } catch (OperationCanceledException) { }
        }
    }

    /// <param name="prepare">Runs on the worker over each block's events (e.g. precomputing span ids).</param>
    /// <param name="only">When given, lines whose type (peeked without parsing) it rejects are skipped unparsed and
    /// unreported: for a pass that needs a few event types only.</param>
    private static ParsedBlock Parse(string path, LineBlock block, Action<List<TraceEvent>>? prepare, Func<EventType, bool>? only)
    {
        var events = new List<TraceEvent>(block.Length / 256 + 1);
        List<MalformedLine>? malformed = null;
        ReadOnlyMemory<byte> rest = block.Buffer.AsMemory(0, block.Length);
        long lineNumber = block.FirstLine;
        while (!rest.IsEmpty)
        {
            int nl = rest.Span.IndexOf((byte)'\n');
            bool terminated = nl >= 0 || block.EndsTerminated;
            ReadOnlyMemory<byte> line = nl >= 0 ? rest[..nl] : rest;
            rest = nl >= 0 ? rest[(nl + 1)..] : default;
            line = line[..line.Span.TrimEnd("\r"u8).Length];
            bool skip = only is not null && EventLine.TryPeekType(line.Span, out EventType peeked) && !only(peeked);
            if (!skip && !line.Span.Trim(" \t"u8).IsEmpty)
            {
                TraceEvent? e = EventLine.TryParse(line, lineNumber, out string? error, EventParseMode.Export);
                if (e is not null) events.Add(e);
                else (malformed ??= []).Add(new MalformedLine(path, lineNumber, terminated ? error! : error + "; the file ends mid-line"));
            }
            lineNumber++;
        }
        prepare?.Invoke(events);
        return new ParsedBlock(events, malformed);
    }
}
