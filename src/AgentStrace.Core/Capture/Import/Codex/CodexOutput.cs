using AgentStrace.Capture.Import.Agents;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Codex;

/// <summary>Tool outputs: a plain string or an array of input_text / input_image items; the exit code lives in the text.</summary>
public static class CodexOutput
{
    public static string Text(RawJsonValue output) => Text(output, int.MaxValue, out _);

    /// <summary>The first <paramref name="maxChars"/> chars of the output text (a huge output is never decoded whole);
    /// <paramref name="truncated"/>: it went on.</summary>
    public static string Text(RawJsonValue output, int maxChars, out bool truncated)
    {
        truncated = false;
        if (output.IsString) return output.GetStringHead(maxChars, out truncated);
        if (output.IsObject) return output.AsObject().Get("content"u8).GetStringHead(maxChars, out truncated);
        var text = new System.Text.StringBuilder();
        bool first = true;
        foreach (RawJsonValue item in RawJsonObject.Elements(output))
        {
            RawJsonObject o = item.AsObject();
            string type = o.GetString("type"u8);
            bool isText = type is "input_text" or "output_text" or "text";
            if (!isText && type != "input_image") continue;
            if (text.Length >= maxChars)
            {
                truncated = true;
                break;
            }
            if (!first) text.Append('\n');
            first = false;
            if (!isText) text.Append("[image]");
            else
            {
                text.Append(o.Get("text"u8).GetStringHead(Math.Max(0, maxChars - text.Length), out bool cut));
                truncated |= cut;
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// The exit code reported in a shell output: "Exit code: N" (shell, shell_command), "Process exited with code N"
    /// (unified exec) or an older JSON <c>{"output", "metadata": {"exit_code"}}</c> (whose output text replaces <paramref name="text"/>).
    /// Both markers come first in the output, so the head of a long output has them.
    /// </summary>
    public static int? ExitCode(ref string text)
    {
        if (text.StartsWith("{\"output\"", StringComparison.Ordinal) && JsonlFile.IsObject(System.Text.Encoding.UTF8.GetBytes(text)))
        {
            var o = new RawJsonObject(System.Text.Encoding.UTF8.GetBytes(text));
            long? code = o.GetObject("metadata"u8).GetInt64("exit_code"u8);
            text = o.GetString("output"u8);
            return code is long c ? (int)c : null;
        }
        return After(text, "Exit code: ") ?? After(text, "Process exited with code ");
    }

    private static int? After(string text, string marker)
    {
        int at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0 || (at > 0 && text[at - 1] != '\n')) return null;
        int start = at + marker.Length, end = start;
        if (end < text.Length && text[end] == '-') end++;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return int.TryParse(text.AsSpan(start, end - start), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : null;
    }
}
