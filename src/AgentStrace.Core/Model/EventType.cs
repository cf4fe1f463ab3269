namespace AgentStrace.Model;

/// <summary>The 12 upstream event types.</summary>
public enum EventType
{
    SessionStart,
    SessionEnd,
    ToolCall,
    ToolResult,
    LlmRequest,
    LlmResponse,
    FileRead,
    FileWrite,
    Decision,
    Error,
    UserPrompt,
    AssistantResponse,
}

public static class EventTypes
{
    private static readonly string[] s_names =
    [
        "session_start", "session_end", "tool_call", "tool_result", "llm_request", "llm_response",
        "file_read", "file_write", "decision", "error", "user_prompt", "assistant_response",
    ];

    public static string Name(this EventType type) => s_names[(int)type];

    public static bool TryParse(ReadOnlySpan<byte> utf8, out EventType type)
    {
        for (int i = 0; i < s_names.Length; i++)
        {
            if (System.Text.Ascii.Equals(utf8, s_names[i]))
            {
                type = (EventType)i;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static bool TryParse(string name, out EventType type)
    {
        int i = Array.IndexOf(s_names, name);
        type = (EventType)Math.Max(i, 0);
        return i >= 0;
    }
}
