namespace AgentStrace.Spans;

/// <summary>
/// <c>--no-content</c> as the last step before a span leaves the builder: whatever a format put there, free text
/// goes — status messages, error and exception messages and stack traces, tool inputs and outputs, stdout and
/// stderr, prompts, completions and message bodies — in span and span-event attributes alike. Codes, names, ids,
/// counts, token usage and timings stay.
/// </summary>
internal static class ContentScrubber
{
    private static readonly string[] s_textNames =
    [
        "message", "messages", "stacktrace", "output", "input", "prompt", "completion", "arguments", "result", "content",
        "text", "stdout", "stderr", "value", "instructions", "system_instructions", "query", "body", "preview", "reason",
        "command", "command_line", "description", "error",
    ];

    public static Action<Span> Wrap(Action<Span> emit) => span =>
    {
        Scrub(span);
        emit(span);
    };

    public static void Scrub(Span span)
    {
        span.StatusMessage = "";
        span.Attributes.RemoveAll(IsText);
        foreach (SpanEvent e in span.Events) e.Attributes.RemoveAll(IsText);
    }

    /// <summary>Free text by its key's last segment (<c>exception.message</c>, <c>gen_ai.input.messages</c>,
    /// <c>tool.output</c>); <c>gen_ai.usage.input_tokens</c> and other numeric keys do not end in such a segment.</summary>
    public static bool IsText(SpanAttribute a)
    {
        string key = a.Key;
        int dot = key.LastIndexOf('.');
        string last = dot < 0 ? key : key[(dot + 1)..];
        return Array.IndexOf(s_textNames, last) >= 0 || key.StartsWith("gen_ai.prompt", StringComparison.Ordinal)
            || key.StartsWith("gen_ai.completion", StringComparison.Ordinal);
    }
}
