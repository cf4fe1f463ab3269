using AgentStrace.Capture.Redaction;
using AgentStrace.Json;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Settings a hook reads from <c>&lt;store&gt;/config.json</c> (Claude Code strips OTEL_* and other variables from
/// hook processes, so the store carries its own configuration): <c>{"redact": true, "transcript_usage": true}</c>.
/// </summary>
public sealed record HookConfig(bool Redact, bool TranscriptUsage)
{
    public static HookConfig Load(string storeRoot)
    {
        bool redact = true, usage = true;
        try
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(storeRoot, "config.json"));
            var o = new JsonObject(bytes);
            if (o.TryGet("redact"u8, out JsonValue r) && r.IsBool) redact = r.Kind == System.Text.Json.JsonTokenType.True;
            if (o.TryGet("transcript_usage"u8, out JsonValue u) && u.IsBool) usage = u.Kind == System.Text.Json.JsonTokenType.True;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FormatException($"{Path.Combine(storeRoot, "config.json")} is not valid JSON ({ex.Message}); fix or delete it.");
        }
        // The environment (e.g. `AGENT_STRACE_NO_REDACT=1 agent-strace hook ...` written by setup --no-redact) wins.
        if (!Redactor.EnabledByEnvironment()) redact = false;
        return new HookConfig(redact, usage);
    }
}
