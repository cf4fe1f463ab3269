using System.Text.Json;
using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Reads a hook's stdin up to the end of the first complete JSON value, whichever comes first of: that value, end of
/// input, <see cref="HookRunner.MaxPayloadBytes"/> + 1 bytes, or the deadline. A stdin that never closes (the payload
/// was written, the pipe stays open) or never ends (<c>/dev/zero</c>) therefore costs bounded time and memory.
/// </summary>
public static class HookStdin
{
    public static byte[] Read(Stream stdin, TimeSpan deadline)
    {
        var buffer = new MemoryStream();
        var scan = new ValueScanner();
        byte[] chunk = new byte[64 * 1024];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task<int>? pending = null;
        while (true)
        {
            TimeSpan left = deadline - clock.Elapsed;
            int n;
            if (stdin is DescriptorInput descriptor)
            {
                // A descriptor waits on this thread (poll); any other stream is read on a pool thread, waited for.
                n = left > TimeSpan.Zero ? descriptor.Read(chunk, left) : -1;
            }
            else
            {
                pending ??= Task.Run(() => stdin.Read(chunk, 0, chunk.Length));
                n = left > TimeSpan.Zero && pending.Wait(left) ? pending.Result : -1;
                if (n >= 0) pending = null;
            }
            if (n < 0)
            {
                if (buffer.Length == 0) throw new TimeoutException($"no payload on stdin within {deadline.TotalSeconds:0.##}s; event skipped");
                throw new FormatException($"stdin held an incomplete JSON payload ({buffer.Length} bytes) when the {deadline.TotalSeconds:0.##}s deadline passed; event skipped");
            }
            if (n == 0) return buffer.ToArray();
            buffer.Write(chunk, 0, n);
            if (buffer.Length > HookRunner.MaxPayloadBytes)
            {
                throw new FormatException($"payload larger than the {HookRunner.MaxPayloadBytes >> 20} MiB limit; event skipped");
            }
            long end = scan.Feed(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            if (end >= 0) return buffer.GetBuffer().AsSpan(0, (int)end).ToArray();
        }
    }

    /// <summary>Incremental tokenizer state: where the first complete top-level value ends, or -1 (need more bytes).</summary>
    private sealed class ValueScanner
    {
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = PyJsonTranscoder.MaxDepth });
        private long _consumed;
        private bool _bomChecked;

        public long Feed(ReadOnlySpan<byte> all)
        {
            if (!_bomChecked)
            {
                if (all.Length < 3 && "\xEF\xBB\xBF"u8.StartsWith(all)) return -1;
                if (all.StartsWith("\xEF\xBB\xBF"u8)) _consumed = 3;
                _bomChecked = true;
            }
            var reader = new Utf8JsonReader(all[(int)_consumed..], isFinalBlock: false, _state);
            try
            {
                while (reader.Read())
                {
                    bool closesTop = reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName);
                    if (closesTop) return _consumed + reader.BytesConsumed;
                }
            }
            catch (JsonException)
            {
                // Not JSON: stop reading now; the parser reports what is wrong with the bytes so far.
                return all.Length;
            }
            _consumed += reader.BytesConsumed;
            _state = reader.CurrentState;
            return -1;
        }
    }
}
