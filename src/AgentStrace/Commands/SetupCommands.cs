using AgentStrace.Capture.Hooks;
using AgentStrace.Capture.Import.Agents;
using AgentStrace.Config;
using AgentStrace.Errors;

namespace AgentStrace.Cli.Commands;

internal sealed class SetupCommands
{
    /// <summary>Install agent-strace's Claude Code hooks into .claude/settings.json (keeps your other settings; idempotent).</summary>
    /// <param name="global">Use ~/.claude/settings.json ($CLAUDE_CONFIG_DIR/settings.json) instead of the project's.</param>
    /// <param name="noRedact">Install hooks that store secrets unredacted (AGENT_STRACE_NO_REDACT=1).</param>
    /// <param name="print">Only print the hooks block; change nothing.</param>
    /// <param name="settings">Settings file to edit (overrides --global and the project default).</param>
    /// <param name="agent">claude-code (default), codex (.codex/hooks.json; --global: $CODEX_HOME/hooks.json) or gemini-cli (.gemini/settings.json; --global: ~/.gemini/settings.json).</param>
    /// <param name="shipTo">Ship every finished session to this OTLP endpoint (saved in your own configuration, mode 0600; 'off' stops shipping). See docs/fleet.md.</param>
    /// <param name="header">-H, With --ship-to: request header "Name: ${VARIABLE}" (read from the environment when sending) or "Name: value"; repeatable.</param>
    /// <param name="headerFile">With --ship-to: a file of "Name: value" lines, read when sending (must not be readable by other users).</param>
    /// <param name="protocol">With --ship-to: http/protobuf (default), http/json or grpc.</param>
    /// <param name="format">With --ship-to: span shape otlp-genai (default) or otlp.</param>
    /// <param name="langfuse">With --ship-to: the target is Langfuse (keys from LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY when sending).</param>
    /// <param name="serviceName">With --ship-to: service.name of the shipped spans.</param>
    /// <param name="user">With --ship-to: the name in user.name (default: the OS user).</param>
    /// <param name="anonymizeUser">With --ship-to: send a hash of the user name (user.hash) instead of the name.</param>
    /// <param name="minCost">With --ship-to: ship only sessions that cost at least this many dollars (judged at the session's end).</param>
    /// <param name="errorsOnly">With --ship-to: ship only sessions with errors (judged at the session's end).</param>
    /// <param name="path">With --ship-to: ship only sessions whose working directory matches this glob (** across directories).</param>
    /// <param name="sample">With --ship-to: ship this share of sessions (0 to 1), chosen by session id.</param>
    /// <param name="maxAgeDays">With --ship-to: hand-overs not delivered after this many days are dropped from the outbox (warned).</param>
    /// <param name="maxMb">With --ship-to: past this many MB of unsent events the oldest sessions are dropped from the outbox (warned).</param>
    /// <param name="concurrency">With --ship-to: sessions sent at once.</param>
    /// <param name="batchSpans">With --ship-to: most spans per request.</param>
    /// <param name="metrics">With --ship-to: also ship each finished session's OTLP metrics (to /v1/metrics beside /v1/traces).</param>
    public int Setup(bool global = false, bool noRedact = false, bool print = false, string? settings = null, string? agent = null,
        string? shipTo = null, string? header = null, string? headerFile = null, string? protocol = null, string? format = null, bool langfuse = false,
        string? serviceName = null, string? user = null, bool anonymizeUser = false, double minCost = 0, bool errorsOnly = false,
        string? path = null, double sample = 1, double maxAgeDays = ShipConfig.DefaultMaxAgeDays, double maxMb = ShipConfig.DefaultMaxMb,
        int concurrency = ShipConfig.DefaultConcurrency, int batchSpans = ShipConfig.DefaultBatchSpans, bool metrics = false,
        CancellationToken cancellationToken = default)
    {
        _ = header; // repeatable: collected before parsing (Cli.Headers)
        AgentFormat forAgent = Choices.Agent.ParseOrNull(agent, "setup") ?? AgentFormat.ClaudeCode;
        if (shipTo is not null)
        {
            var ship = new ShipSetup(shipTo, Cli.Headers, headerFile, Choices.Protocol.ParseOrNull(protocol), Choices.SpanFormat.ParseOrNull(format, "setup"), langfuse, serviceName, user, anonymizeUser, minCost, errorsOnly, path, sample, maxAgeDays, maxMb, concurrency, batchSpans, metrics);
            int code = ship.Run(cancellationToken);
            if (code != 0 || print) return code;
        }
        else if (Cli.Headers.Count > 0 || headerFile is not null) throw new AgentStraceException("--header and --header-file need --ship-to URL.");
        else if (metrics) throw new AgentStraceException("--metrics needs --ship-to URL (to see a session's metrics now: agent-strace export --metrics ID).");
        string binary = Environment.ProcessPath ?? throw new AgentStraceException("Cannot determine the path of the agent-strace binary.");
        if (forAgent != AgentFormat.ClaudeCode) return AgentSetup.Run(AgentFormats.AgentName(forAgent), binary, global, noRedact, print, settings, cancellationToken);
        if (print)
        {
            Console.Out.Write(ClaudeSettings.Serialize(ClaudeSettings.Block(binary, noRedact)));
            return 0;
        }
        string settingsPath = SettingsFile.Resolve(settings, global);
        string? existing = SettingsFile.ReadExisting(settingsPath);
        var result = ClaudeSettings.Merge(existing, settingsPath, binary, noRedact);
        if (result.Added == 0 && result.Updated == 0)
        {
            Console.Out.WriteLine($"agent-strace: {settingsPath} already has the agent-strace hooks for all {result.Unchanged} events; nothing changed.");
            return 0;
        }
        cancellationToken.ThrowIfCancellationRequested(); // stopped before the write: the settings file is as it was
        string backup = SettingsFile.Replace(settingsPath, ClaudeSettings.Serialize(result.Settings));
        Console.Out.WriteLine($"agent-strace: {settingsPath}: added {result.Added}, updated {result.Updated}, unchanged {result.Unchanged} hook entries" + (backup.Length > 0 ? $" (backup: {backup})" : "") + ".");
        Console.Out.WriteLine($"agent-strace: hooks run '{binary} hook <Event>'; sessions are stored in <project>/.agent-traces. Start a new Claude Code session to begin recording.");
        return 0;
    }
}
