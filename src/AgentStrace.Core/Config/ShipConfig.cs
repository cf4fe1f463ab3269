using System.Globalization;
using AgentStrace.FileSystem;
using AgentStrace.Json.Documents;

namespace AgentStrace.Config;

/// <summary>One header of the delivery target: a literal value, or a reference to an environment variable read at send time.</summary>
public sealed record ShipHeader(string Name, string Value = "", string Env = "");

/// <summary>
/// Where finished sessions are shipped (<c>setup --ship-to</c>), kept under <c>"ship"</c> in the user's own
/// configuration (<see cref="UserConfig"/>, mode 0600), never in a repository. Header values are best given as
/// references (<c>${VAR}</c> or <c>--header-file</c>), which are resolved only when sending, so the secret is read from
/// the environment or the referenced file and never copied.
/// </summary>
public sealed record ShipConfig
{
    public required string To { get; init; }
    public string Protocol { get; init; } = "";
    public string Format { get; init; } = "otlp-genai";
    public string ServiceName { get; init; } = "";
    public string Backend { get; init; } = "";
    public IReadOnlyList<ShipHeader> Headers { get; init; } = [];
    public string HeaderFile { get; init; } = "";
    /// <summary>The name put in <c>user.name</c> (default: the OS user).</summary>
    public string User { get; init; } = "";
    /// <summary>Send a SHA-256 of the user name as <c>user.hash</c> instead of the name.</summary>
    public bool AnonymizeUser { get; init; }
    public double MinCost { get; init; }
    public bool ErrorsOnly { get; init; }
    /// <summary>A glob over the session's working directory (<c>*</c> within a path segment, <c>**</c> across).</summary>
    public string PathGlob { get; init; } = "";
    /// <summary>Share of sessions shipped, 0 &lt; ratio ≤ 1, chosen by a hash of the session id (the same sessions on every machine).</summary>
    public double Sample { get; init; } = 1;
    public double MaxAgeDays { get; init; } = DefaultMaxAgeDays;
    public double MaxMb { get; init; } = DefaultMaxMb;
    public int Concurrency { get; init; } = DefaultConcurrency;
    public int BatchSpans { get; init; } = DefaultBatchSpans;
    /// <summary>Also ship each finished session's OTLP metrics (to the metrics endpoint beside the traces').</summary>
    public bool Metrics { get; init; }

    public const double DefaultMaxAgeDays = 30;
    public const double DefaultMaxMb = 1024;
    public const int DefaultConcurrency = 4;
    public const int DefaultBatchSpans = 256;

    /// <summary>The configured target, or null when shipping is not set up (or the section is unusable: <paramref name="problem"/> says why).</summary>
    public static ShipConfig? From(UserConfig user, out string problem)
    {
        problem = "";
        if (user.Document.Ship is not { } s) return null;
        if (s.To.Length == 0)
        {
            problem = $"the \"ship\" section of {user.Path} is not valid (\"to\" is empty); run 'agent-strace setup --ship-to URL' again";
            return null;
        }
        return new ShipConfig
        {
            To = s.To, Protocol = s.Protocol ?? "", Format = s.Format is { Length: > 0 } f ? f : "otlp-genai", ServiceName = s.ServiceName ?? "",
            Backend = s.Backend ?? "", Headers = s.Headers?.Select(h => new ShipHeader(h.Name, h.Value ?? "", h.Env ?? "")).ToList() ?? [],
            HeaderFile = s.HeaderFile ?? "", User = s.User ?? "", AnonymizeUser = s.AnonymizeUser ?? false, MinCost = s.MinCost ?? 0,
            ErrorsOnly = s.ErrorsOnly ?? false, PathGlob = s.Path ?? "", Sample = s.Sample ?? 1, MaxAgeDays = s.MaxAgeDays ?? DefaultMaxAgeDays,
            MaxMb = s.MaxMb ?? DefaultMaxMb, Concurrency = s.Concurrency ?? DefaultConcurrency, BatchSpans = s.BatchSpans ?? DefaultBatchSpans,
            Metrics = s.Metrics ?? false,
        };
    }

    /// <summary>The <c>"ship"</c> section as written (header values only when given literally; references stay references).</summary>
    public ShipDocument ToDocument() => new()
    {
        To = To, Protocol = Set(Protocol), Format = Format, ServiceName = Set(ServiceName), Backend = Set(Backend),
        Headers = Headers.Select(h => new ShipHeaderDocument { Name = h.Name, Env = Set(h.Env), Value = h.Env.Length > 0 ? null : h.Value }).ToList(),
        HeaderFile = Set(HeaderFile), User = Set(User), AnonymizeUser = AnonymizeUser, MinCost = MinCost > 0 ? MinCost : null,
        ErrorsOnly = ErrorsOnly ? true : null, Path = Set(PathGlob), Sample = Sample < 1 ? Sample : null, MaxAgeDays = MaxAgeDays,
        MaxMb = MaxMb, Concurrency = Concurrency, BatchSpans = BatchSpans, Metrics = Metrics ? true : null,
    };

    private static string? Set(string value) => value.Length > 0 ? value : null;

    /// <summary>
    /// Writes the section into the user's configuration, keeping the other settings, as a file only its owner can
    /// read or write (0600; its directory 0700). A configuration kept behind a link is written where the link points.
    /// </summary>
    public static void Save(UserConfig user, ShipConfig? ship)
    {
        if (user.Path.Length == 0) throw new Errors.AgentStraceException("No home or configuration directory is known: set HOME or XDG_CONFIG_HOME.");
        string path = user.Path;
        try
        {
            if (new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } link) path = link.FullName;
        }
        catch (IOException) { }
        string dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var document = new UserConfigDocument { Redact = user.Document.Redact, TranscriptUsage = user.Document.TranscriptUsage, Ship = ship?.ToDocument() };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        DocumentJson.Write(buffer, document.Write);
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Leftovers.Sweep(dir, name => name == Path.GetFileName(path)); // a setup killed before its rename
        SafeFile.WriteAtomic(path, buffer.WrittenSpan, OwnerOnly);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnly); // the umask may have taken bits away, never added
    }

    /// <summary>The headers with every reference resolved: <c>${VAR}</c> from the environment, then the header file's lines.</summary>
    public List<string> ResolveHeaders(Func<string, string?> env)
    {
        var list = new List<string>();
        foreach (ShipHeader h in Headers)
        {
            string value = h.Env.Length > 0
                ? env(h.Env) is { Length: > 0 } v ? v : throw new Errors.AgentStraceException($"The {h.Name} header takes its value from ${h.Env}, which is not set in this environment.")
                : h.Value;
            list.Add(h.Name + ": " + value);
        }
        if (HeaderFile.Length > 0) list.AddRange(ReadHeaderFile(HeaderFile));
        return list;
    }

    /// <summary>
    /// <c>Name: value</c> lines (blank lines and <c># comments</c> skipped). The file must be a regular file of at most
    /// 64 KiB that other users cannot read: a secret in a world-readable file is refused, not sent.
    /// </summary>
    public static List<string> ReadHeaderFile(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)) != 0)
        {
            throw new Errors.AgentStraceException($"Header file {path} can be read by other users: run 'chmod 600 {path}'.");
        }
        string text = SafeFile.TryReadAllText(path, 64 << 10) ?? throw new Errors.AgentStraceException($"Header file {path} does not exist.");
        var list = new List<string>();
        int n = 0;
        foreach (string raw in text.Split('\n'))
        {
            n++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.IndexOf(':') <= 0) throw new Errors.AgentStraceException($"Header file {path} line {n.ToString(CultureInfo.InvariantCulture)} is not 'Name: value'.");
            list.Add(line);
        }
        return list;
    }

    /// <summary>Parses one <c>setup --header</c>: <c>"Name: ${VAR}"</c> becomes a reference, anything else a literal.</summary>
    public static ShipHeader ParseHeader(string header)
    {
        int colon = header.IndexOf(':');
        int eq = header.IndexOf('=');
        int sep = colon > 0 && (eq < 0 || colon < eq) ? colon : eq;
        if (sep <= 0) throw new Errors.AgentStraceException("--header must be \"Name: value\" or \"Name: ${VARIABLE}\".");
        string name = header[..sep].Trim(), value = header[(sep + 1)..].Trim();
        if (name.Length == 0 || name.Any(c => c <= ' ' || c == ':' || c > '~')) throw new Errors.AgentStraceException("--header has an invalid header name.");
        if (value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}') && value.Length > 3)
        {
            string variable = value[2..^1];
            if (!variable.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) throw new Errors.AgentStraceException($"--header {name}: '${{...}}' must name an environment variable (letters, digits, _).");
            return new ShipHeader(name, Env: variable);
        }
        return new ShipHeader(name, value);
    }
}
