using System.Globalization;
using System.Text.Json;
using AgentStrace.FileSystem;

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
    public const string Key = "ship";
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
        if (!user.Document.TryGet("ship"u8, out Json.RawJsonValue v) || v.IsNull) return null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(v.Raw);
            return Parse(doc.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            problem = $"the \"ship\" section of {user.Path} is not valid ({ex.Message}); run 'agent-strace setup --ship-to URL' again";
            return null;
        }
    }

    private static ShipConfig Parse(JsonElement e)
    {
        string to = Str(e, "to");
        if (to.Length == 0) throw new FormatException("\"to\" is missing");
        var headers = new List<ShipHeader>();
        if (e.TryGetProperty("headers", out JsonElement hs))
        {
            foreach (JsonElement h in hs.EnumerateArray()) headers.Add(new ShipHeader(Str(h, "name"), Str(h, "value"), Str(h, "env")));
        }
        return new ShipConfig
        {
            To = to, Protocol = Str(e, "protocol"), Format = Str(e, "format") is { Length: > 0 } f ? f : "otlp-genai",
            ServiceName = Str(e, "service_name"), Backend = Str(e, "backend"), Headers = headers, HeaderFile = Str(e, "header_file"),
            User = Str(e, "user"), AnonymizeUser = Bool(e, "anonymize_user"),
            MinCost = Num(e, "min_cost", 0), ErrorsOnly = Bool(e, "errors_only"), PathGlob = Str(e, "path"), Sample = Num(e, "sample", 1),
            MaxAgeDays = Num(e, "max_age_days", DefaultMaxAgeDays), MaxMb = Num(e, "max_mb", DefaultMaxMb),
            Concurrency = (int)Num(e, "concurrency", DefaultConcurrency), BatchSpans = (int)Num(e, "batch_spans", DefaultBatchSpans),
            Metrics = Bool(e, "metrics"),
        };
    }

    /// <summary>The <c>"ship"</c> section as JSON (header values only when given literally; references stay references).</summary>
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("to", To);
        if (Protocol.Length > 0) w.WriteString("protocol", Protocol);
        w.WriteString("format", Format);
        if (ServiceName.Length > 0) w.WriteString("service_name", ServiceName);
        if (Backend.Length > 0) w.WriteString("backend", Backend);
        w.WriteStartArray("headers");
        foreach (ShipHeader h in Headers)
        {
            w.WriteStartObject();
            w.WriteString("name", h.Name);
            if (h.Env.Length > 0) w.WriteString("env", h.Env);
            else w.WriteString("value", h.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (HeaderFile.Length > 0) w.WriteString("header_file", HeaderFile);
        if (User.Length > 0) w.WriteString("user", User);
        w.WriteBoolean("anonymize_user", AnonymizeUser);
        if (MinCost > 0) w.WriteNumber("min_cost", MinCost);
        if (ErrorsOnly) w.WriteBoolean("errors_only", true);
        if (PathGlob.Length > 0) w.WriteString("path", PathGlob);
        if (Sample < 1) w.WriteNumber("sample", Sample);
        w.WriteNumber("max_age_days", MaxAgeDays);
        w.WriteNumber("max_mb", MaxMb);
        w.WriteNumber("concurrency", Concurrency);
        w.WriteNumber("batch_spans", BatchSpans);
        if (Metrics) w.WriteBoolean("metrics", true);
        w.WriteEndObject();
    }

    /// <summary>
    /// Writes the section into the user's configuration, keeping every other setting, as a file only its owner can
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
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            using (JsonDocument doc = JsonDocument.Parse(user.Document.Raw))
            {
                foreach (JsonProperty p in doc.RootElement.EnumerateObject())
                {
                    if (p.NameEquals(Key)) continue;
                    p.WriteTo(w);
                }
            }
            if (ship is not null)
            {
                w.WritePropertyName(Key);
                ship.Write(w);
            }
            w.WriteEndObject();
        }
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
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

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.True;
    private static double Num(JsonElement e, string name, double fallback) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
}
