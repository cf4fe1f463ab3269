using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace AgentStrace.Capture.Import;

/// <summary>
/// The tool calls a transcript stream has made so far, for pairing results with their calls. Every call id is kept as
/// a 64-bit hash (a repeated tool_use counts once); when and which tool only until the call's first result: a later
/// result of the same call maps to the same event id, which the writer stores once, so it needs neither. A long
/// session makes hundreds of thousands of calls, and this keeps about 14 bytes of each.
/// </summary>
public sealed class ToolCalls
{
    private readonly NumberSet _seen = new();
    private readonly Dictionary<string, (double Time, string Name)> _open = new(StringComparer.Ordinal);

    /// <summary>Records the call; false when its id was seen already (the first one counts).</summary>
    public bool TryAdd(string id, double time, string name)
    {
        if (!_seen.Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan())))) return false;
        _open[id] = (time, name);
        return true;
    }

    /// <summary>The call's time and tool name, for its first result; (0, null) for an id not seen (or seen already).</summary>
    public (double Time, string? Name) TakeForResult(string id) => _open.Remove(id, out var call) ? call : (0, null);
}
