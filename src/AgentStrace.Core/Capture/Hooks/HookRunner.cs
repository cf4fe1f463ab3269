using System.Buffers;
using AgentStrace.Capture.Redaction;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Entry point of <c>agent-strace hook &lt;event&gt;</c>. It never fails or stalls the agent: every failure after the
/// event name is known exits 0 and appends one line to <c>&lt;store&gt;/hook-errors.log</c>, and the whole call is
/// bounded by <see cref="HookDeadline"/>.
/// </summary>
public static class HookRunner
{
    /// <summary>Larger payloads are skipped (logged) after reading one byte more, so one huge tool input cannot exhaust memory.</summary>
    public const int MaxPayloadBytes = 32 << 20;

    /// <summary>Returns the process exit code: 0, or 1 for an unknown event name (a configuration error, non-blocking in Claude Code).</summary>
    /// <param name="cancellation">The call's cancellation token, asked only when it starts reading long (see <see cref="HookDeadline"/>): a cancelled call stops reading early and still exits 0.</param>
    public static int Run(string eventName, Stream stdin, bool stdinIsTerminal, string? traceDirFlag, TextWriter stderr, string agent = AgentHooks.ClaudeCode,
        Func<CancellationToken>? cancellation = null)
    {
        if (!AgentHooks.TryMapEvent(agent, eventName, out HookEvent ev))
        {
            stderr.WriteLine($"agent-strace: unknown {(agent == AgentHooks.ClaudeCode ? "" : agent + " ")}hook event '{eventName}'. Valid events: {(agent == AgentHooks.Gemini ? AgentHookSettings.GeminiNames : HookEvents.ValidNames)}.");
            return 1;
        }
        var deadline = new HookDeadline(ev, cancellation);
        SessionLock.ProcessWait = deadline.LockWait;
        string root = "", sessionId = "";
        HookContext? context = null;
        byte[] input = [];
        try
        {
            input = stdinIsTerminal ? [] : HookStdin.Read(stdin, deadline.Stdin);
            var payload = HookPayload.Parse(input);
            ev = AgentHooks.Adapt(agent, ev, payload);
            root = HookStore.ResolveRoot(traceDirFlag, payload.Cwd);
            sessionId = MainSessionId(payload, root, agent, out string original);
            HookConfig config = HookConfig.Load(root);
            context = new HookContext(new TraceStore(root), payload, ev, sessionId, Redactor.For(config.Redact), config, Clock.Now()) { Deadline = deadline, Agent = agent };
            if (config.Ignored.Length > 0 && ev == HookEvent.SessionStart)
            {
                HookErrorLog.Append(root, eventName, sessionId, new InvalidOperationException(
                    $"ignored {config.Ignored}: settings that weaken protection are read only from the user's own configuration ({Config.UserConfig.DefaultPath()})"), stderr);
            }
            HookSpill.Merge(context, HookHandlers.Handle);
            HookHandlers.Handle(context);
            if (config.Ship is { } ship) HookShipping.HandOver(context, ship);
            HookSpill.MergeOthers(context, HookHandlers.Handle);
            if (config.Problem.Length > 0 && ev == HookEvent.SessionStart)
            {
                HookErrorLog.Append(root, eventName, sessionId, new FormatException(config.Problem), stderr);
            }
            if (original.Length > 0) SessionOrigin.Remember(context.SessionDir, original);
        }
        catch (SessionLockTimeoutException ex) when (context is not null && EventWriter.AppendedInProcess == 0)
        {
            Spill(context, input, ex, eventName, stderr);
        }
        catch (Exception ex)
        {
            if (root.Length == 0) root = SafeRoot(traceDirFlag);
            HookErrorLog.Append(root, eventName, sessionId, ex, stderr);
        }
        return 0;
    }

    // The event could not take the lock in time: keep it in a side file for the next hook (logged either way).
    private static void Spill(HookContext c, byte[] input, SessionLockTimeoutException ex, string eventName, TextWriter stderr)
    {
        try
        {
            var buffer = new ArrayBufferWriter<byte>(input.Length + 64);
            c.Redactor.WriteRedacted(c.Payload.Raw.Span, new PyJsonWriter(buffer, PyJsonStyle.Compact));
            HookSpill.Write(c, buffer.WrittenSpan.ToArray());
            HookErrorLog.Append(c.Store.Root, eventName, c.SessionId, new TimeoutException(ex.Message + " The event was kept in a side file; the next hook merges it."), stderr);
        }
        catch (Exception spillError)
        {
            HookErrorLog.Append(c.Store.Root, eventName, c.SessionId, spillError, stderr);
        }
    }

    /// <summary>
    /// The store directory of the session: the first 16 characters of Claude's session_id (upstream rule), another
    /// agent's whole id, when safe; else a stable hash of the whole id (<see cref="Ids.StoreSessionId"/>);
    /// <paramref name="original"/> is the raw id when it was mapped, else "".
    /// </summary>
    private static string MainSessionId(HookPayload payload, string root, string agent, out string original)
    {
        original = "";
        string raw = payload.SessionId;
        if (raw.Length == 0)
        {
            raw = SafeFile.TryReadAllText(Path.Combine(root, StoreNames.ActiveSession), 4096)?.Trim() ?? "";
            if (raw.Length == 0) throw new FormatException("payload has no session_id and no session is active");
            if (!Ids.IsSafeSessionId(raw)) throw new FormatException($"{StoreNames.ActiveSession} does not hold a session id");
            return raw;
        }
        // Claude Code's ids are random, so 16 characters are unique; Codex's are time-ordered (UUIDv7: the first 16
        // characters are the start millisecond), so sessions started together would share a directory.
        string id = Ids.StoreSessionId(raw, agent == AgentHooks.ClaudeCode ? 16 : 128);
        if (!raw.StartsWith(id, StringComparison.Ordinal)) original = raw;
        return id;
    }

    private static string SafeRoot(string? flag)
    {
        try { return HookStore.ResolveRoot(flag, null); }
        catch (Exception ex) when (ex is ArgumentException or IOException or NotSupportedException) { return ""; }
    }
}
