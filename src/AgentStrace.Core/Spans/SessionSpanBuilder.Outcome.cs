using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Spans;

// How the session itself ended, and which errors it recovered from. The root span is ERROR only when the session
// failed: the watchdog killed it, the agent exited with a non-zero code, or an error was recorded that belongs to no
// tool or model call (a crash of the agent itself). Tool and model failures stay on their own spans and are counted
// on the root (agent_strace.tool.errors, agent_strace.model.errors).
public sealed partial class SessionSpanBuilder
{
    private long _toolErrors, _modelErrors;
    private string? _failure, _failureType;
    private string _provider = "";

    /// <summary>Why the watchdog terminated this session (from its post-mortem file), or null.</summary>
    public string? KilledReason { get; set; }

    /// <summary>Counts an error event as a tool, model or session failure; runs in every format and in root-only mode.</summary>
    private void NoteError(TraceEvent e)
    {
        if (e.ParentId.Length > 0 && _pendingLlm.ContainsKey(e.ParentId)) _modelErrors++;
        else if (e.ParentId.Length > 0 || HasRequestId(e) || e.Data.GetString("tool_name"u8).Length > 0) _toolErrors++;
        else
        {
            _failure = First(ErrorMessage(e.Data), null, "error");
            _failureType = RecordedErrorType(e.Data);
        }
    }

    private void NoteSessionEnd(TraceEvent e)
    {
        if (e.Data.GetInt64("exit_code"u8) is long code && code != 0)
        {
            _failure ??= $"agent exited with code {code}";
            _failureType ??= "nonzero_exit";
        }
    }

    private void NoteProvider(string model)
    {
        if (_provider.Length == 0 && model.Length > 0) _provider = AttributeMapper.ProviderName(AttributeMapper.SystemFromModel(model, ""));
    }

    /// <summary>The failure that ended the session, or null when it ended normally.</summary>
    private (string Message, string Type)? SessionFailure() =>
        KilledReason is { } reason ? ("killed by the watchdog: " + reason, "watchdog_kill")
        : _failure is { } message ? (message, _failureType ?? "_OTHER")
        : null;

    /// <summary>The provider for spans that must name one: the model's, else the agent's, else "unknown".</summary>
    private string ProviderOrUnknown(string model)
    {
        string p = AttributeMapper.ProviderName(AttributeMapper.SystemFromModel(model, _agentSystem));
        return p.Length > 0 ? p : "unknown";
    }

    private string SessionProvider() =>
        _provider.Length > 0 ? _provider : AttributeMapper.ProviderName(_agentSystem) is { Length: > 0 } p ? p : "unknown";

    private static bool HasRequestId(TraceEvent e) => e.Data.TryGet("request_id"u8, out RawJsonValue rid) && !rid.IsNull;

    /// <summary>The error's recorded type (<c>error_type</c>, <c>exception_type</c>), or null.</summary>
    private static string? RecordedErrorType(RawJsonObject d) =>
        d.GetString("error_type"u8) is { Length: > 0 } t ? t : d.GetString("exception_type"u8) is { Length: > 0 } x ? x : null;

    /// <summary>error.type for a failed operation: the recorded type, else the JSON-RPC error code, else _OTHER.</summary>
    private static string ErrorType(RawJsonObject d) =>
        RecordedErrorType(d) ?? (d.GetInt64("code"u8) is long code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "_OTHER");

    /// <summary>A pending tool call answered by an error that names only its JSON-RPC request id (MCP).</summary>
    private TraceEvent? PopToolByRequestId(TraceEvent error)
    {
        if (!error.Data.TryGet("request_id"u8, out RawJsonValue rid) || rid.IsNull) return null;
        string wanted = rid.ToPythonStr();
        foreach (var (id, call) in _pendingTools)
        {
            if (call.Data.TryGet("request_id"u8, out RawJsonValue c) && !c.IsNull && c.ToPythonStr() == wanted) return Pop(_pendingTools, id);
        }
        return null;
    }

    /// <summary>An OTel <c>exception</c> event, without the deprecated exception.escaped and without an unknown type.</summary>
    private SpanEvent ExceptionEvent(TraceEvent error, string message, string? type)
    {
        var exception = new SpanEvent("exception", OtlpTime.Nanos(error.Timestamp));
        if (type is not null) exception.Attributes.Add(SpanAttribute.Of("exception.type", type));
        exception.Attributes.Add(SpanAttribute.Of("exception.message", PyText.Head(message, 500)));
        return exception;
    }
}
