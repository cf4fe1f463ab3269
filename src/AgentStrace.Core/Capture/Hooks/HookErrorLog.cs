using System.Globalization;
using AgentStrace.FileSystem;
using AgentStrace.Model;

namespace AgentStrace.Capture.Hooks;

/// <summary><c>&lt;store&gt;/hook-errors.log</c>: one line per failed hook call (hooks never fail the agent, so this is where failures go).</summary>
public static class HookErrorLog
{
    public const string FileName = StoreNames.HookErrors;

    public static void Append(string storeRoot, string hookEvent, string sessionId, Exception error, TextWriter fallback)
    {
        string message = error.Message.ReplaceLineEndings(" ");
        if (message.Length > 500) message = message[..500] + "...";
        message = Redaction.Redactor.On.Text(message);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} hook {hookEvent} session={(sessionId.Length > 0 ? sessionId : "-")} {error.GetType().Name}: {message}\n");
        try
        {
            Directory.CreateDirectory(storeRoot);
            // Never through a link planted in the store: a refused log goes to stderr instead.
            SafeFile.AppendAllText(Path.Combine(storeRoot, FileName), line);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            fallback.Write("agent-strace: hook error (could not write " + Path.Combine(storeRoot, FileName) + ": " + ex.Message.ReplaceLineEndings(" ") + "): " + line);
        }
    }
}
