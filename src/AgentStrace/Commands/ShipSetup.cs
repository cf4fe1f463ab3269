using AgentStrace.Config;
using AgentStrace.Errors;
using AgentStrace.Otlp.Transport;
using AgentStrace.Spans;

namespace AgentStrace.Cli.Commands;

/// <summary><c>setup --ship-to</c>: validates the target and writes it into the user's own configuration (0600).
/// Prints where it went and the header names; never a header value.</summary>
internal sealed record ShipSetup(string ShipTo, IReadOnlyList<string> Headers, string? HeaderFile, OtlpProtocol? Protocol, SpanFormat? Format, bool Langfuse,
    string? ServiceName, string? User, bool AnonymizeUser, double MinCost, bool ErrorsOnly, string? PathGlob, double Sample,
    double MaxAgeDays, double MaxMb, int Concurrency, int BatchSpans, bool Metrics)
{
    /// <param name="cancellationToken">Checked before the configuration is written: a setup stopped before then changes nothing.</param>
    public int Run(CancellationToken cancellationToken)
    {
        UserConfig config = UserConfig.Load();
        if (ShipTo.Trim() is "off" or "none")
        {
            cancellationToken.ThrowIfCancellationRequested();
            ShipConfig.Save(config, null);
            Console.Out.WriteLine($"agent-strace: shipping turned off in {config.Path}; sessions stay in the local store.");
            return 0;
        }
        if (!Uri.TryCreate(ShipTo.Trim(), UriKind.Absolute, out Uri? url) || url.Scheme is not ("http" or "https"))
        {
            throw new AgentStraceException($"--ship-to must be an http:// or https:// URL (got '{Otlp.Transport.OtlpUrls.DisplayInput(ShipTo)}').");
        }
        if (url.UserInfo.Length > 0) throw new AgentStraceException("--ship-to must not hold user:password: give credentials with --header \"Authorization: ${VARIABLE}\" or --header-file.");
        if (!(Sample > 0 && Sample <= 1)) throw new AgentStraceException($"--sample must be more than 0 and at most 1 (got {Sample}).");
        if (MinCost < 0 || double.IsNaN(MinCost)) throw new AgentStraceException("--min-cost must be 0 or more dollars.");
        if (!(MaxAgeDays > 0) || !(MaxMb > 0)) throw new AgentStraceException("--max-age-days and --max-mb must be more than 0.");
        if (Concurrency is < 1 or > 64) throw new AgentStraceException("--concurrency must be 1 to 64.");
        if (BatchSpans is < 1 or > 10_000) throw new AgentStraceException("--batch-spans must be 1 to 10000.");
        if (Metrics && Langfuse) throw new AgentStraceException("--metrics cannot go with --langfuse: Langfuse takes no OTLP metrics (ship them to a collector instead).");
        var headers = Headers.Select(ShipConfig.ParseHeader).ToList();
        string headerFile = "";
        if (HeaderFile is { Length: > 0 })
        {
            headerFile = Path.GetFullPath(HeaderFile);
            _ = ShipConfig.ReadHeaderFile(headerFile); // refuses a missing, malformed or world-readable file now, not at the first send
        }
        var ship = new ShipConfig
        {
            To = url.ToString(), Protocol = Protocol?.ToFlag() ?? "", Format = Format == SpanFormat.Classic ? "otlp" : "otlp-genai", ServiceName = ServiceName ?? "", Backend = Langfuse ? "langfuse" : "",
            Headers = headers, HeaderFile = headerFile, User = User ?? "", AnonymizeUser = AnonymizeUser, MinCost = MinCost, ErrorsOnly = ErrorsOnly,
            PathGlob = PathGlob ?? "", Sample = Sample, MaxAgeDays = MaxAgeDays, MaxMb = MaxMb, Concurrency = Concurrency, BatchSpans = BatchSpans,
            Metrics = Metrics,
        };
        cancellationToken.ThrowIfCancellationRequested();
        ShipConfig.Save(config, ship);
        string names = headers.Count == 0 && headerFile.Length == 0 ? "no headers"
            : "headers: " + string.Join(", ", headers.Select(h => h.Env.Length > 0 ? $"{h.Name} (from ${h.Env} when sending)" : $"{h.Name} (stored)").Concat(headerFile.Length > 0 ? [$"lines of {headerFile}"] : []));
        Console.Out.WriteLine($"agent-strace: sessions will ship to {Otlp.Transport.OtlpUrls.DisplayInput(ship.To)} ({names}{(Metrics ? "; with their metrics" : "")}); saved in {config.Path} (mode 0600).");
        Console.Out.WriteLine("agent-strace: each Stop and SessionEnd hook hands finished work to the outbox; 'agent-strace ship --status' shows the queue.");
        return 0;
    }
}
