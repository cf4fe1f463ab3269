using System.Text.Json;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using Microsoft.Win32.SafeHandles;

namespace AgentStrace.Capture.Import.Gemini;

/// <summary>The legacy one-document <c>session-*.json</c>, read through a window instead of whole.</summary>
public sealed partial class GeminiChat
{
    private const int DocumentWindow = 1 << 20;

    /// <summary>
    /// Streams the document with a resumable reader over a 1 MiB window: metadata from the top level, and where each
    /// message of <c>messages</c> sits (parsed from the window while it is held, then dropped). A message or value
    /// larger than the window is measured in the file first and the window sized to hold it once, so memory stays near
    /// the largest message, not the file.
    /// </summary>
    private void ReadDocument()
    {
        using FileStream file = SafeFile.OpenRead(_path);
        SafeFileHandle handle = file.SafeFileHandle;
        long size = RandomAccess.GetLength(handle);
        byte[] buffer = new byte[(int)Math.Min(DocumentWindow, Math.Max(16, size))];
        // buffer[0] is at bufferStart in the file; the reader resumes at buffer[from] (before it: the message being read).
        long bufferStart = 0, next = 0;
        int from = 0;
        int filled = RandomAccess.Read(handle, buffer.AsSpan(0, Math.Min(3, buffer.Length)), 0);
        if (filled == 3 && buffer.AsSpan(0, 3).SequenceEqual("\xEF\xBB\xBF"u8)) bufferStart = next = 3; // a BOM
        filled = 0;
        var state = new JsonReaderState(PyJsonTranscoder.ReaderOptions);
        string key = "";
        bool inMessages = false, started = false;
        long element = -1; // where the message being read starts, or -1
        try
        {
            while (true)
            {
                int n = RandomAccess.Read(handle, buffer.AsSpan(filled), next);
                filled += n;
                next = bufferStart + filled;
                bool final = n == 0 || next >= size; // the buffer always has room here: nothing read is the end
                var reader = new Utf8JsonReader(buffer.AsSpan(from, filled - from), final, state);
                long at = bufferStart + from;
                while (reader.Read())
                {
                    if (!started && reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
                    started = true;
                    int depth = reader.CurrentDepth;
                    JsonTokenType token = reader.TokenType;
                    if (depth == 1 && token == JsonTokenType.PropertyName) key = reader.GetString() ?? "";
                    else if (depth == 1) TopLevel(ref reader, key, ref inMessages);
                    else if (depth == 2 && inMessages && token == JsonTokenType.StartObject) element = at + reader.TokenStartIndex;
                    else if (depth == 2 && inMessages && token == JsonTokenType.EndObject && element >= 0)
                    {
                        long end = at + reader.BytesConsumed;
                        Upsert(new RawJsonObject(buffer.AsMemory((int)(element - bufferStart), (int)(end - element))), element);
                        element = -1;
                    }
                }
                if (final)
                {
                    if (!started || reader.CurrentDepth != 0 || reader.TokenType != JsonTokenType.EndObject) throw new JsonException("incomplete document");
                    return;
                }
                state = reader.CurrentState;
                // Keep what the reader has not consumed, and the whole message being read.
                long consumed = at + reader.BytesConsumed;
                long keep = element >= 0 ? element : consumed;
                int kept = (int)(bufferStart + filled - keep);
                long need = kept < buffer.Length ? 0 : ValueEnd(handle, keep, size) - keep + DocumentWindow;
                byte[] target = need > 0 ? new byte[(int)Math.Min(need, Array.MaxLength)]
                    : buffer.Length > DocumentWindow && kept < DocumentWindow / 2 ? new byte[DocumentWindow] : buffer;
                Buffer.BlockCopy(buffer, (int)(keep - bufferStart), target, 0, kept);
                buffer = target;
                bufferStart = keep;
                filled = kept;
                from = (int)(consumed - keep);
            }
        }
        catch (JsonException)
        {
            throw new FormatException($"{_path} is not a JSON document");
        }
    }

    private void TopLevel(ref Utf8JsonReader reader, string key, ref bool inMessages)
    {
        JsonTokenType token = reader.TokenType;
        if (token == JsonTokenType.EndArray && inMessages)
        {
            inMessages = false;
            return;
        }
        if (token is JsonTokenType.EndObject or JsonTokenType.EndArray) return;
        string text = token == JsonTokenType.String ? reader.GetString() ?? "" : "";
        switch (key)
        {
            case "sessionId": SessionId = text; break;
            case "kind": Kind = text; break;
            case "summary": Summary = text; break;
            case "startTime": StartTime = TranscriptReader.ParseTime(text); break;
            case "lastUpdated": LastUpdated = TranscriptReader.ParseTime(text); break;
            case "messages":
                Truncate(0);
                inMessages = token == JsonTokenType.StartArray;
                break;
        }
    }

    /// <summary>Where the JSON value starting at <paramref name="at"/> (after separators) ends: strings and nesting
    /// are followed byte by byte through a small buffer, so a value of any size is measured without holding it.</summary>
    private static long ValueEnd(SafeFileHandle handle, long at, long size)
    {
        byte[] chunk = new byte[64 * 1024];
        int depth = 0;
        bool inString = false, escaped = false, begun = false;
        for (long pos = at; pos < size;)
        {
            int n = RandomAccess.Read(handle, chunk, pos);
            if (n <= 0) break;
            for (int i = 0; i < n; i++)
            {
                byte b = chunk[i];
                if (inString)
                {
                    if (escaped) escaped = false;
                    else if (b == (byte)'\\') escaped = true;
                    else if (b == (byte)'"')
                    {
                        inString = false;
                        if (depth == 0) return pos + i + 1;
                    }
                    continue;
                }
                switch (b)
                {
                    case (byte)'"': inString = begun = true; break;
                    case (byte)'{' or (byte)'[': depth++; begun = true; break;
                    case (byte)'}' or (byte)']':
                        if (--depth <= 0) return pos + i + 1;
                        break;
                    case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)':':
                        if (begun && depth == 0) return pos + i;
                        break;
                    default: begun = true; break;
                }
            }
            pos += n;
        }
        return size;
    }
}
