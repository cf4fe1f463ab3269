using AgentStrace.Compliance.Internal;
using AgentStrace.FileSystem;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

/// <summary>
/// Upstream's <c>verify_chain</c> for a stored session, streamed line by line in constant memory.
/// </summary>
public static class ChainVerifier
{
    public static ChainResult Verify(SessionInfo session, CancellationToken cancellationToken = default) =>
        Verify(session.Id, session.EventsPath, cancellationToken: cancellationToken);

    /// <param name="maxBytes">Read only this prefix of the file (the package writer's snapshot length).</param>
    /// <param name="cancellationToken">Checked every 4,096 lines.</param>
    public static ChainResult Verify(string sessionId, string eventsPath, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default)
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
        while (lines.MoveNext())
        {
            if ((lines.LineNumber & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            walker.Add(lines.Current.Span, lines.LineNumber, lines.CurrentTerminated);
        }
        return walker.Result(sessionId);
    }

    internal static LineReader OpenLines(string path, long maxBytes)
    {
        var stream = SafeFile.OpenRead(path);
        return new LineReader(maxBytes == long.MaxValue ? stream : new BoundedStream(stream, maxBytes, ownsInner: true));
    }
}
