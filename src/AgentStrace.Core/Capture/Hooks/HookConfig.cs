using AgentStrace.Capture.Redaction;
using AgentStrace.Config;
using AgentStrace.FileSystem;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Settings of a hook call. Both weaken protection when off, so they come only from what the user controls, in this
/// order: the hook command <c>setup</c> wrote (<c>AGENT_STRACE_NO_REDACT=1 agent-strace hook …</c>), then the user's
/// own <see cref="UserConfig"/> (<c>{"redact": false, "transcript_usage": false}</c>), then the defaults (both on).
/// A <c>config.json</c> inside the store is never read for them: the store usually lives in a repository someone else
/// wrote. <see cref="Ignored"/> names such a file when it tries to switch protection off, so the hook can say so.
/// An unreadable user configuration leaves the protective defaults in place (<see cref="Problem"/> says why): a typo
/// there must not stop capture.
/// </summary>
public sealed record HookConfig(bool Redact, bool TranscriptUsage, string Ignored = "", string Problem = "")
{
    /// <summary>The delivery target from the user's configuration (<c>setup --ship-to</c>), or null: no shipping.</summary>
    public ShipConfig? Ship { get; init; }

    public static HookConfig Load(string storeRoot)
    {
        bool? redact = null, usage = null;
        string problem = "";
        ShipConfig? ship = null;
        try
        {
            UserConfig user = UserConfig.Load();
            redact = user.Document.Redact;
            usage = user.Document.TranscriptUsage;
            ship = ShipConfig.From(user, out problem);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            problem = ex.Message + " (using the defaults: redaction and transcript reading on)";
        }
        bool redactOn = (redact ?? true) && Redactor.EnabledByEnvironment();
        return new HookConfig(redactOn, usage ?? true, StoreTriesToWeaken(storeRoot), problem) { Ship = ship };
    }

    // The store's config.json path when it asks for redaction or transcript reading off (it is ignored), else "".
    private static string StoreTriesToWeaken(string storeRoot)
    {
        string path = Path.Combine(storeRoot, StoreNames.Config);
        try
        {
            byte[]? bytes = SafeFile.TryReadAllBytes(path, 64 << 10);
            if (bytes is null) return "";
            var o = new RawJsonObject(bytes);
            bool off = (o.TryGet("redact"u8, out RawJsonValue r) && r.Kind == System.Text.Json.JsonTokenType.False)
                || (o.TryGet("transcript_usage"u8, out RawJsonValue u) && u.Kind == System.Text.Json.JsonTokenType.False);
            return off ? path : "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException) { return path; }
    }
}
