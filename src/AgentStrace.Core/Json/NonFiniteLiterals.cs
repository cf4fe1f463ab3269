namespace AgentStrace.Json;

/// <summary>
/// Python's json writes <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> for non-finite floats, and the Python tool
/// stores them as written. System.Text.Json rejects them; readers retry such a line with each of them (outside
/// strings) read as <c>null</c>. The chain still hashes the raw line, so the verdict does not change.
/// </summary>
public static class NonFiniteLiterals
{
    /// <summary>A copy of <paramref name="line"/> with the literals as <c>null</c>, or null when it has none.</summary>
    public static byte[]? AsNull(ReadOnlySpan<byte> line)
    {
        if (line.IndexOf("NaN"u8) < 0 && line.IndexOf("Infinity"u8) < 0) return null;
        // Counted first, copied only when there is something to replace: the words are mostly inside strings (text that
        // mentions NaN), and a huge line should not be copied just to find that out.
        int delta = Replace(line, default);
        return delta == int.MinValue ? null : Copy(line, delta);
    }

    private static byte[] Copy(ReadOnlySpan<byte> line, int delta)
    {
        byte[] output = new byte[line.Length + delta];
        Replace(line, output);
        return output;
    }

    // Walks the line outside strings; writes the result into `output` when it is not empty. Returns the length change,
    // or int.MinValue when there is no literal to replace.
    private static int Replace(ReadOnlySpan<byte> line, Span<byte> output)
    {
        int i = 0, o = 0, delta = 0;
        bool replaced = false;
        while (i < line.Length)
        {
            // Outside a string: up to the next quote or literal.
            int next = line[i..].IndexOfAny((byte)'"', (byte)'N', (byte)'I');
            int stop = next < 0 ? line.Length : i + next;
            if (stop > i && stop < line.Length && line[stop] == (byte)'I' && line[stop - 1] == (byte)'-') stop--; // -Infinity
            Put(line[i..stop], output, ref o);
            i = stop;
            if (i >= line.Length) break;
            ReadOnlySpan<byte> rest = line[i..];
            int length = rest.StartsWith("NaN"u8) ? 3 : rest.StartsWith("Infinity"u8) ? 8 : rest.StartsWith("-Infinity"u8) ? 9 : 0;
            if (length > 0)
            {
                Put("null"u8, output, ref o);
                delta += 4 - length;
                i += length;
                replaced = true;
                continue;
            }
            if (rest[0] != (byte)'"')
            {
                Put(rest[..1], output, ref o);
                i++;
                continue;
            }
            // A string: copied as it is, up to its closing quote (an escaped quote does not close it).
            int end = i + 1;
            while (end < line.Length)
            {
                int q = line[end..].IndexOfAny((byte)'"', (byte)'\\');
                if (q < 0) { end = line.Length; break; }
                end += q;
                if (line[end] == (byte)'"') { end++; break; }
                end += 2;
            }
            end = Math.Min(end, line.Length);
            Put(line[i..end], output, ref o);
            i = end;
        }
        return replaced ? delta : int.MinValue;
    }

    private static void Put(ReadOnlySpan<byte> bytes, Span<byte> output, ref int o)
    {
        if (output.IsEmpty) return;
        bytes.CopyTo(output[o..]);
        o += bytes.Length;
    }
}
