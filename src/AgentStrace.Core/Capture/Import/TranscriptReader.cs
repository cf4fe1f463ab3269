using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>Reads transcript JSONL; unknown types and unparsable lines are skipped, never fatal (Claude Code adds record types between versions).</summary>
public static class TranscriptReader
{
    /// <summary>
    /// Parses the complete lines from <paramref name="offset"/>, reading at most <paramref name="maxBytes"/>;
    /// <paramref name="end"/> is the offset after the last complete line read (a bounded caller continues from there).
    /// The transcript is opened as a regular file only (never a link, FIFO or device).
    /// </summary>
    public static List<TranscriptEntry> ReadFile(string path, long offset, out long end, out int skipped, long maxBytes = int.MaxValue - 64)
    {
        long length;
        using (FileStream file = SafeFile.OpenRead(path)) length = file.Length;
        if (offset > length) offset = 0; // truncated or replaced: start over (dedupe keeps it safe)
        long want = Math.Min(length - offset, maxBytes);
        bool cut = want < length - offset;
        var list = new List<TranscriptEntry>();
        skipped = 0;
        long pos = offset;
        // Blocks of whole lines, a long line in an array of its own length: entries keep slices of their block, so
        // memory is what the entries hold, with no buffer of the whole file and no copy of a huge line.
        using (var blocks = new LineBlockReader(path, 64 * 1024, offset + want, offset))
        {
            while (blocks.Next() is LineBlock block)
            {
                ReadOnlyMemory<byte> rest = block.Buffer.AsMemory(0, block.Length);
                long at = pos;
                bool whole = true;
                while (!rest.IsEmpty)
                {
                    int nl = rest.Span.IndexOf((byte)'\n');
                    if (nl < 0) { whole = false; break; } // an incomplete last line is read next time
                    int skip = at == 0 && rest.Span.StartsWith("\xEF\xBB\xBF"u8) ? 3 : 0;
                    ReadOnlyMemory<byte> line = rest[skip..nl];
                    while (line.Span.EndsWith("\r"u8)) line = line[..^1];
                    if (!line.Span.Trim(" \t"u8).IsEmpty)
                    {
                        TranscriptEntry? e = Parse(line);
                        if (e is null) skipped++;
                        else
                        {
                            e.Offset = at + skip;
                            list.Add(e);
                        }
                    }
                    at += nl + 1;
                    rest = rest[(nl + 1)..];
                }
                if (!whole) { pos = at; break; }
                pos = blocks.Position;
            }
        }
        // One line longer than the whole bound: step over it rather than stall on it forever.
        if (cut && pos == offset) pos = offset + want;
        end = pos;
        return list;
    }

    public static TranscriptEntry? Parse(ReadOnlyMemory<byte> line)
    {
        var e = new TranscriptEntry();
        try
        {
            // One pass over the line: the message and data objects are indexed on the way (their properties and those
            // one level down), so the mapper's lookups do not rescan the line.
            var reader = new Utf8JsonReader(line.Span, PyJsonTranscoder.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            char[] name = new char[32]; // not stackalloc: the decoded key is returned from a call that also takes the reader
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlySpan<char> key = KeyChars(ref reader, name);
                reader.Read();
                switch (key)
                {
                    case "message": e.Message = ReadObject(ref reader, line); continue;
                    case "data": e.Data = ReadObject(ref reader, line); continue;
                }
                RawJsonValue v = Capture(ref reader, line);
                switch (key)
                {
                    case "type": e.Type = v.GetString(); break;
                    case "uuid": e.Uuid = v.GetString(); break;
                    case "sessionId": e.SessionId = v.GetString(); break;
                    case "timestamp": e.Timestamp = ParseTime(v.GetString()); break;
                    case "isSidechain": e.IsSidechain = v.Kind == JsonTokenType.True; break;
                    case "agentId": e.AgentId = v.GetString(); break;
                    case "isMeta": e.IsMeta = v.Kind == JsonTokenType.True; break;
                    case "isCompactSummary": e.IsCompactSummary |= v.Kind == JsonTokenType.True; break;
                    case "isVisibleInTranscriptOnly": e.IsCompactSummary |= v.Kind == JsonTokenType.True; break;
                    case "isApiErrorMessage": e.IsApiErrorMessage = v.Kind == JsonTokenType.True; break;
                    case "error": e.Error = v.IsString ? v.GetString() : ""; break;
                    case "subtype": e.Subtype = v.GetString(); break;
                    case "durationMs": e.DurationMs = v.TryGetDouble(out double d) ? d : 0; break;
                    case "cwd": e.Cwd = v.GetString(); break;
                    case "gitBranch": e.GitBranch = v.GetString(); break;
                    case "version": e.Version = v.GetString(); break;
                    case "requestId": e.RequestId = v.GetString(); break;
                    case "toolUseResult": e.ToolUseResult = v; break;
                    case "parentToolUseID": e.ParentToolUseId = v.GetString(); break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
        return e.Type.Length == 0 ? null : e;
    }

    /// <summary>The property name the reader is on, decoded into <paramref name="buffer"/> when short and unescaped.</summary>
    private static ReadOnlySpan<char> KeyChars(ref Utf8JsonReader reader, Span<char> buffer)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped && raw.Length <= buffer.Length && Encoding.UTF8.TryGetChars(raw, buffer, out int written))
        {
            return buffer[..written];
        }
        return JsonText.Unescape(raw, reader.ValueIsEscaped);
    }

    /// <summary>The value the reader is on, as the object it is (indexed) or <see cref="RawJsonObject.Empty"/>.</summary>
    private static RawJsonObject ReadObject(ref Utf8JsonReader reader, ReadOnlyMemory<byte> line)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return RawJsonObject.Empty;
        }
        int begin = (int)reader.TokenStartIndex;
        JsonPropertySlot[]? slots = RawJsonObject.ReadSlots(ref reader);
        return new RawJsonObject(line[begin..(int)reader.BytesConsumed], slots);
    }

    private static RawJsonValue Capture(ref Utf8JsonReader reader, ReadOnlyMemory<byte> line)
    {
        JsonTokenType kind = reader.TokenType;
        if (kind == JsonTokenType.String)
        {
            return new RawJsonValue(kind, line.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length), reader.ValueIsEscaped);
        }
        int begin = (int)reader.TokenStartIndex;
        if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            return new RawJsonValue(kind, line[begin..(int)reader.BytesConsumed], false);
        }
        return new RawJsonValue(kind, line.Slice(begin, reader.ValueSpan.Length), false);
    }

    /// <summary>ISO-8601 UTC ("2026-02-10T22:57:57.941Z") to epoch seconds; 0 when absent or unparsable.</summary>
    public static double ParseTime(string iso)
    {
        if (iso.Length == 0) return 0;
        return DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t)
            ? Clock.FromUtc(t.UtcDateTime)
            : 0;
    }
}
