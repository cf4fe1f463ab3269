using AgentStrace.Compliance.Internal;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

/// <summary>
/// Upstream's <c>verify_chain</c> for a stored session (spec §1.6), streamed line by line in constant memory.
/// </summary>
public static class ChainVerifier
{
    public static ChainResult Verify(SessionInfo session) => Verify(session.Id, session.EventsPath);

    /// <param name="maxBytes">Read only this prefix of the file (the package writer's snapshot length).</param>
    public static ChainResult Verify(string sessionId, string eventsPath, long maxBytes = long.MaxValue)
    {
        if (!File.Exists(eventsPath))
        {
            return new ChainResult
            {
                SessionId = sessionId, Ok = false, TotalEvents = 0, BrokenAt = 0, Status = ChainStatus.Broken,
                Reason = "events.ndjson is missing",
            };
        }
        using LineReader lines = OpenLines(eventsPath, maxBytes);
        var walker = new ChainWalker();
        while (lines.MoveNext()) walker.Add(lines.Current.Span, lines.LineNumber, lines.CurrentTerminated);
        return walker.Result(sessionId);
    }

    internal static LineReader OpenLines(string path, long maxBytes)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return new LineReader(maxBytes == long.MaxValue ? stream : new BoundedStream(stream, maxBytes, ownsInner: true));
    }
}
