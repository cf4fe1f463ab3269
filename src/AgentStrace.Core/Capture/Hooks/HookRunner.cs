using AgentStrace.Capture.Redaction;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Entry point of <c>agent-strace hook &lt;event&gt;</c>. It never fails the agent: every failure after the event name
/// is known exits 0 and appends one line to <c>&lt;store&gt;/hook-errors.log</c>.
/// </summary>
public static class HookRunner
{
    /// <summary>Larger payloads are drained and skipped (logged), so one huge tool input cannot exhaust memory.</summary>
    public const int MaxPayloadBytes = 32 << 20;

    /// <summary>Returns the process exit code: 0, or 1 for an unknown event name (a configuration error, non-blocking in Claude Code).</summary>
    public static int Run(string eventName, Stream stdin, bool stdinIsTerminal, string? traceDirFlag, TextWriter stderr, string agent = AgentHooks.ClaudeCode)
    {
        if (!AgentHooks.TryMapEvent(agent, eventName, out HookEvent ev))
        {
            stderr.WriteLine($"agent-strace: unknown {(agent == AgentHooks.ClaudeCode ? "" : agent + " ")}hook event '{eventName}'. Valid events: {(agent == AgentHooks.Gemini ? AgentHookSettings.GeminiNames : HookEvents.ValidNames)}.");
            return 1;
        }
        string root = "", sessionId = "";
        try
        {
            byte[] input = stdinIsTerminal ? [] : ReadAll(stdin);
            var payload = HookPayload.Parse(input);
            ev = AgentHooks.Adapt(agent, ev, payload);
            root = HookStore.ResolveRoot(traceDirFlag, payload.Cwd);
            sessionId = MainSessionId(payload, root);
            HookConfig config = HookConfig.Load(root);
            var context = new HookContext(new TraceStore(root), payload, ev, sessionId, Redactor.For(config.Redact), config, Clock.Now()) { Agent = agent };
            HookHandlers.Handle(context);
        }
        catch (Exception ex)
        {
            if (root.Length == 0) root = SafeRoot(traceDirFlag);
            HookErrorLog.Append(root, eventName, sessionId, ex, stderr);
        }
        return 0;
    }

    /// <summary>First 16 characters of Claude's session_id (upstream rule); must be a safe id so it cannot escape the store.</summary>
    private static string MainSessionId(HookPayload payload, string root)
    {
        string raw = payload.SessionId;
        if (raw.Length == 0)
        {
            string marker = Path.Combine(root, ".active-session");
            raw = File.Exists(marker) ? File.ReadAllText(marker).Trim() : "";
            if (raw.Length == 0) throw new FormatException("payload has no session_id and no session is active");
        }
        string id = raw.Length > 16 ? raw[..16] : raw;
        if (!Ids.IsSafeSessionId(id)) throw new FormatException("payload session_id is not a safe id (letters, digits, '.', '_', '-')");
        return id;
    }

    private static string SafeRoot(string? flag)
    {
        try { return HookStore.ResolveRoot(flag, null); }
        catch (Exception ex) when (ex is ArgumentException or IOException or NotSupportedException) { return ""; }
    }

    private static byte[] ReadAll(Stream stdin)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = stdin.Read(chunk, 0, chunk.Length)) > 0)
        {
            total += n;
            if (total <= MaxPayloadBytes) buffer.Write(chunk, 0, n);
        }
        if (total > MaxPayloadBytes) throw new FormatException($"payload of {total} bytes is larger than the {MaxPayloadBytes >> 20} MiB limit; event skipped");
        return buffer.ToArray();
    }
}
