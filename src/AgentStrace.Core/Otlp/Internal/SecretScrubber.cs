using System.Text;

namespace AgentStrace.Otlp.Internal;

/// <summary>Removes header values (API keys, Authorization tokens) from any text that may reach the user.</summary>
/// <remarks>A server may echo a request header or a key in its error body; every message the transport builds
/// passes through <see cref="Scrub"/>. Values of known non-secret headers are left alone so messages stay readable.</remarks>
internal sealed class SecretScrubber
{
    private static readonly string[] s_notSecret =
        ["x-langfuse-ingestion-version", "dd-protocol", "dd-otlp-source", "x-honeycomb-dataset", "content-type", "accept", "user-agent"];

    private readonly List<string> _secrets = [];

    public SecretScrubber(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (KeyValuePair<string, string> h in headers)
        {
            if (Array.Exists(s_notSecret, n => string.Equals(n, h.Key, StringComparison.OrdinalIgnoreCase))) continue;
            Add(h.Value);
            int space = h.Value.IndexOf(' ');
            if (space > 0) Add(h.Value[(space + 1)..]); // "Bearer <token>", "Basic <base64>"
            if (h.Value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) AddBasicParts(h.Value[6..].Trim());
        }
        // Longest first so a value containing another is removed whole.
        _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
    }

    /// <summary>Masks every secret, in any letter case, and in its URL-encoded form (a server may echo it in a URL or
    /// lower-cased).</summary>
    public string Scrub(string text)
    {
        foreach (string secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.OrdinalIgnoreCase)) text = text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }

    private void Add(string value)
    {
        value = value.Trim();
        if (value.Length < 3) return;
        if (!_secrets.Contains(value)) _secrets.Add(value);
        string encoded = Uri.EscapeDataString(value);
        if (encoded != value && !_secrets.Contains(encoded)) _secrets.Add(encoded);
    }

    private void AddBasicParts(string base64)
    {
        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            Add(decoded);
            foreach (string part in decoded.Split(':')) Add(part);
        }
        catch (FormatException)
        {
        }
    }
}
