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
        var output = new List<byte>(line.Length + 8);
        bool inString = false, replaced = false;
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if (inString)
            {
                output.Add(b);
                if (b == (byte)'\\' && i + 1 < line.Length) output.Add(line[++i]);
                else if (b == (byte)'"') inString = false;
                continue;
            }
            if (b == (byte)'"') inString = true;
            int length = line[i..].StartsWith("NaN"u8) ? 3 : line[i..].StartsWith("Infinity"u8) ? 8 : line[i..].StartsWith("-Infinity"u8) ? 9 : 0;
            if (length > 0)
            {
                output.AddRange("null"u8);
                i += length - 1;
                replaced = true;
                continue;
            }
            output.Add(b);
        }
        return replaced ? [.. output] : null;
    }
}
