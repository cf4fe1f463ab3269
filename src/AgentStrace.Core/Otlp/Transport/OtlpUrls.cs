namespace AgentStrace.Otlp.Transport;

/// <summary>URL rules of the OTLP exporter spec (opentelemetry-specification <c>protocol/exporter.md</c> §Endpoint URLs) and safe display of URLs in messages.</summary>
public static class OtlpUrls
{
    /// <summary>Scheme, authority and path only: no user info, no query (they may hold secrets).</summary>
    public static string Display(Uri url) => url.IsAbsoluteUri ? $"{url.Scheme}://{url.Authority}{url.AbsolutePath}" : "(relative URL)";

    /// <summary>Parses an absolute http(s) URL or returns null.</summary>
    public static Uri? TryParse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri)) return null;
        return uri.Scheme is "http" or "https" && uri.Host.Length > 0 ? uri : null;
    }

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> rule: ensure a trailing '/' on the path and append <paramref name="relativePath"/>.</summary>
    public static Uri AppendPath(Uri baseUrl, string relativePath)
    {
        var builder = new UriBuilder(baseUrl);
        string path = builder.Path.EndsWith('/') ? builder.Path : builder.Path + "/";
        builder.Path = path + relativePath.TrimStart('/');
        return builder.Uri;
    }

    /// <summary>The gRPC method URL: the endpoint's scheme and authority plus the service path (a path in the endpoint is ignored).</summary>
    public static Uri GrpcMethodUrl(Uri endpoint, OtlpSignal signal) =>
        new($"{endpoint.Scheme}://{endpoint.Authority}{signal.GrpcPath()}");

    /// <summary>True when the URL path ends with <paramref name="suffix"/> (ignoring a trailing '/').</summary>
    public static bool PathEndsWith(Uri url, string suffix) =>
        url.AbsolutePath.TrimEnd('/').EndsWith("/" + suffix.Trim('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>A user-typed URL for an error message, cut before any query string or user info.</summary>
    public static string DisplayInput(string value)
    {
        string v = value.Trim();
        int q = v.IndexOfAny(['?', '#']);
        if (q >= 0) v = v[..q];
        int at = v.IndexOf('@');
        int scheme = v.IndexOf("://", StringComparison.Ordinal);
        if (at >= 0 && scheme >= 0 && at > scheme) v = v[..(scheme + 3)] + v[(at + 1)..];
        return v.Length > 120 ? v[..120] + "..." : v;
    }
}
