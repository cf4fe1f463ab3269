using System.Text;
using AgentStrace.Errors;
using AgentStrace.Otlp.Transport;

namespace AgentStrace.Langfuse;

/// <summary>
/// Where and as whom to talk to Langfuse (upstream's Langfuse export): keys from <c>--langfuse-public-key</c>/<c>--langfuse-secret-key</c>
/// or <c>LANGFUSE_PUBLIC_KEY</c>/<c>LANGFUSE_SECRET_KEY</c>; host from <c>--langfuse-host</c>, <c>LANGFUSE_HOST</c>,
/// <c>LANGFUSE_BASE_URL</c> (the newer SDKs' name), else Langfuse Cloud EU.
/// </summary>
public sealed record LangfuseConfig
{
    public const string MissingKeysMessage =
        "Langfuse credentials not set: set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY, or use --langfuse-public-key / --langfuse-secret-key.";

    public required string PublicKey { get; init; }
    public required string SecretKey { get; init; }
    /// <summary>The Langfuse base URL without a trailing '/', e.g. <c>https://cloud.langfuse.com</c>.</summary>
    public required Uri Host { get; init; }

    public string AuthorizationValue => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(PublicKey + ":" + SecretKey));

    public Uri OtelTracesUrl => OtlpUrls.AppendPath(Host, OtlpBackends.LangfuseOtelPath);
    /// <summary>Langfuse's batch ingestion API, which scores go through (it lets them carry a fixed timestamp).</summary>
    public Uri IngestionUrl => OtlpUrls.AppendPath(Host, "api/public/ingestion");

    /// <summary>The base URL safe to print (no user info, no query).</summary>
    public string DisplayHost => OtlpUrls.Display(Host).TrimEnd('/');

    public static LangfuseConfig Resolve(string? publicKey, string? secretKey, string? host, Func<string, string?> env)
    {
        string? Env(string name) => env(name) is { } v && v.Trim().Length > 0 ? v.Trim() : null;
        string? pk = publicKey is { Length: > 0 } p ? p : Env("LANGFUSE_PUBLIC_KEY");
        string? sk = secretKey is { Length: > 0 } s ? s : Env("LANGFUSE_SECRET_KEY");
        if (pk is null || sk is null) throw new AgentStraceException(MissingKeysMessage);

        (string value, string source) = host is { Length: > 0 } h ? (h, "--langfuse-host")
            : Env("LANGFUSE_HOST") is { } eh ? (eh, "LANGFUSE_HOST")
            : Env("LANGFUSE_BASE_URL") is { } eb ? (eb, "LANGFUSE_BASE_URL")
            : (OtlpBackends.LangfuseCloud, "");
        Uri url = OtlpUrls.TryParse(value)
            ?? throw new AgentStraceException($"Invalid {source} '{OtlpUrls.DisplayInput(value)}': use the Langfuse base URL, e.g. https://cloud.langfuse.com.");
        if (url.UserInfo.Length > 0)
        {
            throw new AgentStraceException($"The {source} URL holds user:password: give the Langfuse keys with LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY instead.");
        }
        if (Otlp.Internal.OtlpHeaderParser.HasLineBreakOrNul(pk + sk))
        {
            throw new AgentStraceException("The Langfuse public or secret key holds a line break or NUL: check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY.");
        }
        return new LangfuseConfig { PublicKey = pk, SecretKey = sk, Host = BaseOf(url) };
    }

    // Users paste the OTLP URL too ("…/api/public/otel" or "…/api/public/otel/v1/traces"); keep only the base.
    private static Uri BaseOf(Uri url)
    {
        var builder = new UriBuilder(url) { Query = "", Fragment = "" };
        string path = builder.Path.TrimEnd('/');
        foreach (string suffix in (string[])["/api/public/otel/v1/traces", "/api/public/otel", "/api/public"])
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                path = path[..^suffix.Length];
                break;
            }
        }
        builder.Path = path.Length == 0 ? "/" : path;
        return builder.Uri;
    }
}
