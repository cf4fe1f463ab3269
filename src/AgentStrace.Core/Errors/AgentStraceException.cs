namespace AgentStrace.Errors;

/// <summary>
/// An error the user can act on: one sentence naming what failed and the fix. The CLI prints the message as
/// one line on stderr and exits with <see cref="ExitCode"/> (ARCHITECTURE.md §6).
/// </summary>
public class AgentStraceException(string message, int exitCode = ExitCodes.Usage, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

public sealed class SessionNotFoundException(string message) : AgentStraceException(message, ExitCodes.Usage);

public sealed class StoreCorruptException(string message) : AgentStraceException(message, ExitCodes.Usage);

public sealed class ExportException(string message, Exception? inner = null) : AgentStraceException(message, ExitCodes.Delivery, inner);

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command found something: anomaly, broken chain, not audit-ready.</summary>
    public const int Found = 1;
    /// <summary>Usage or input error.</summary>
    public const int Usage = 2;
    /// <summary>Export or delivery failure (including partial delivery).</summary>
    public const int Delivery = 3;
    /// <summary>A file or stdout could not be read or written (full disk, permissions): one line, no stack trace.</summary>
    public const int Io = 74;
    /// <summary>An unexpected exception (a bug): one line <c>agent-strace: internal error: …</c>, never a stack trace.</summary>
    public const int Internal = 70;
    public const int Cancelled = 130;
}
