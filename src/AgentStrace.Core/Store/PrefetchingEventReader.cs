using System.Threading.Channels;
using AgentStrace.Model;

namespace AgentStrace.Store;

/// <summary>
/// Reads and parses events on a background thread, handing them over in chunks through a bounded channel, so that
/// parsing overlaps with whatever the consumer does (span building, encoding, sending). Memory stays bounded by
/// <c>chunkSize × capacity</c> events.
/// </summary>
public static class PrefetchingEventReader
{
    public static async IAsyncEnumerable<List<TraceEvent>> ReadChunksAsync(string path, Action<MalformedLine>? onMalformed,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default, int chunkSize = 256, int capacity = 4)
    {
        if (!File.Exists(path)) yield break;
        var channel = Channel.CreateBounded<List<TraceEvent>>(new BoundedChannelOptions(capacity)
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
                using var reader = new EventReader(path) { OnMalformed = onMalformed };
                var chunk = new List<TraceEvent>(chunkSize);
                while (reader.TryRead(out TraceEvent e))
                {
                    chunk.Add(e);
                    if (chunk.Count < chunkSize) continue;
                    await channel.Writer.WriteAsync(chunk, cts.Token);
                    chunk = new List<TraceEvent>(chunkSize);
                }
                if (chunk.Count > 0) await channel.Writer.WriteAsync(chunk, cts.Token);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, cts.Token);
        try
        {
            await foreach (List<TraceEvent> chunk in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return chunk;
            }
        }
        finally
        {
            await cts.CancelAsync();
            try { await producer; } catch (OperationCanceledException) { }
        }
    }
}
