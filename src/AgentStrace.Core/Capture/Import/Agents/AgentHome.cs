namespace AgentStrace.Capture.Import.Agents;

/// <summary>The user's home directory as agents resolve it: <c>$HOME</c>, else the OS profile folder.</summary>
public static class AgentHome
{
    public static string User() =>
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
