using AgentStrace.Compliance;
using AgentStrace.Errors;
using AgentStrace.Output;
using AgentStrace.Store;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class VerifyCommands
{
    /// <summary>Verify a session's tamper-evident hash chain (exit 1 when broken), every session (--all), or an EU AI Act export file offline (--from-export).</summary>
    /// <param name="sessionId">Session id or unique prefix (default: the most recent top-level session).</param>
    /// <param name="all">Verify every session in the store.</param>
    /// <param name="fromExport">Verify this `export --format eu-ai-act` file instead of the store: chain links, line hashes, fields and the manifest.</param>
    /// <param name="format">-f, text or json.</param>
    public int Verify([Argument] string? sessionId = null, bool all = false, string? fromExport = null, string format = "text",
        CancellationToken cancellationToken = default)
    {
        ViewFormat view = Choices.TextOrJson.Parse(format, "verify");
        if (fromExport is { Length: 0 }) throw new AgentStraceException("--from-export needs the path of an 'export --format eu-ai-act' file.");
        if (fromExport is not null && (all || sessionId is not null)) throw new AgentStraceException("--from-export checks a file: do not combine it with a session id or --all.");
        if (all && sessionId is not null) throw new AgentStraceException("Give either a session id or --all, not both.");
        using var stdout = StreamBufferWriter.Stdout();
        if (fromExport is not null)
        {
            PackageVerifyResult package = PackageVerifier.Verify(fromExport);
            if (view == ViewFormat.Json) PackageReport.Json(package, stdout); else PackageReport.Text(package, stdout);
            return package.Ok ? ExitCodes.Ok : ExitCodes.Found;
        }
        TraceStore store = Cli.OpenStore();
        if (all)
        {
            var results = store.List(Output.Text.Warn).Select(s => ChainVerifier.Verify(s, cancellationToken)).ToList();
            if (view == ViewFormat.Json) ChainReport.JsonAll(results, stdout); else ChainReport.TextAll(results, stdout);
            return results.All(r => r.Ok) ? ExitCodes.Ok : ExitCodes.Found;
        }
        ChainResult result = ChainVerifier.Verify(store.FindOrLatest(sessionId), cancellationToken);
        if (view == ViewFormat.Json) ChainReport.Json(result, stdout); else ChainReport.Text(result, stdout);
        return result.Ok ? ExitCodes.Ok : ExitCodes.Found;
    }
}
