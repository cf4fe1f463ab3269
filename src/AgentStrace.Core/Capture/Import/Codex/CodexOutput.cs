using AgentStrace.Capture.Import.Agents;
using AgentStrace.Json;

namespace AgentStrace.Capture.Import.Codex;

/// <summary>Tool outputs: a plain string or an array of input_text / input_image items; the exit code lives in the text.</summary>
public static class CodexOutput
{
    public static string Text(RawJsonValue output)
    {
        if (output.IsString) return output.GetString();
        if (output.IsObject) return output.AsObject().GetString("content"u8);
        var parts = new List<string>();
        foreach (RawJsonValue item in RawJsonObject.Elements(output))
        {
            RawJsonObject o = item.AsObject();
            string type = o.GetString("type"u8);
            if (type is "input_text" or "output_text" or "text") parts.Add(o.GetString("text"u8));
            else if (type == "input_image") parts.Add("[image]");
        }
        return string.Join("\n", parts);
    }

    /// <summary>
    /// The exit code reported in a shell output: "Exit code: N" (shell, shell_command), "Process exited with code N"
    /// (unified exec) or an older JSON <c>{"output", "metadata": {"exit_code"}}</c> (whose output text replaces <paramref name="text"/>).
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
