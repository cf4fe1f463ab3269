using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Model;
using AgentStrace.Output;
using AgentStrace.Store;

namespace AgentStrace.Compliance;

/// <summary><c>export --format eu-ai-act</c>: picks the sessions as upstream does and streams the package to a file or stdout.</summary>
public static class EuAiActExport
{
    public static Task<int> RunAsync(TraceStore store, ExportRequest request, CancellationToken cancellationToken, Func<double>? clock = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        double now = (clock ?? Clock.Now)();
        IReadOnlyList<SessionInfo> sessions = Select(store, request, now);
        PackageSummary summary;
        if (string.IsNullOrEmpty(request.Output))
        {
            using var stdout = StreamBufferWriter.Stdout();
            summary = WriteBehind(stdout, sessions, now, cancellationToken);
        }
        else
        {
            summary = WriteFile(request.Output, sessions, now, request.FollowSymlinks, cancellationToken);
            Console.Error.WriteLine($"EU AI Act export written to {request.Output}");
        }
        Console.Error.WriteLine($"Manifest sha256 {summary.ManifestSha256} ({summary.Sessions} sessions, {summary.Events} events); check with: agent-strace verify --from-export <file>");
        return Task.FromResult(ExitCodes.Ok);
    }

    public static IReadOnlyList<SessionInfo> Select(TraceStore store, ExportRequest request, double now)
    {
        if (request.All)
        {
            if (!string.IsNullOrEmpty(request.SessionId))
            {
                throw new AgentStraceException("Give either a session id or --all, not both.");
            }
            return store.List(TimeBound.ParseOptional(request.Since, "--since", now), TimeBound.ParseOptional(request.Until, "--until", now),
                static m => Console.Error.WriteLine(m));
        }
        if (!string.IsNullOrEmpty(request.Since) || !string.IsNullOrEmpty(request.Until))
        {
            throw new AgentStraceException("--since/--until select sessions only with --all (e.g. export --all --since 30d --format eu-ai-act).");
        }
        return [store.FindOrLatest(request.SessionId)];
    }

    // The package's bytes reach the file or pipe from another core than the one rendering them.
    private static PackageSummary WriteBehind(StreamBufferWriter output, IReadOnlyList<SessionInfo> sessions, double now, CancellationToken cancellationToken)
    {
        output.Flush();
        Stream stream = output.Stream;
        // Writes of 64 KiB (what StreamBufferWriter writes): the copy into the page cache stays within the CPU's cache.
        using var behind = new Compliance.Internal.ChunkPipe((chunk, count) => stream.Write(chunk, 0, count), chunkBytes: 64 * 1024, inFlight: 8);
        PackageSummary summary = EuAiActPackage.Write(sessions, behind, now, cancellationToken);
        behind.Drain();
        return summary;
    }

    /// <summary>Streams into <see cref="OutputTarget"/> (a temp file renamed over a regular file, so a reader never sees half a package).</summary>
    public static PackageSummary WriteFile(string path, IReadOnlyList<SessionInfo> sessions, double now, bool followSymlinks = false,
        CancellationToken cancellationToken = default)
    {
        try
        {
            using var target = OutputTarget.Open(path, followSymlinks);
            PackageSummary summary = WriteBehind(target.Writer, sessions, now, cancellationToken);
            target.Commit();
            return summary;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Cannot write {path}: {ex.Message}");
        }
    }
}
