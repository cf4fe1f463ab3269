using AgentStrace.Errors;

namespace AgentStrace.Otlp.Internal;

/// <summary>Parses <c>--header</c> values and the W3C-Baggage-style <c>OTEL_*_HEADERS</c> / <c>OTEL_RESOURCE_ATTRIBUTES</c> lists.</summary>
/// <remarks>Messages name the flag or variable and the entry number, never a value: values are API keys.</remarks>
internal static class OtlpHeaderParser
{
    /// <summary>
    /// A <c>--header</c> value: <c>"Name: value"</c> (the guide's form) or <c>name=value</c>; whichever separator comes first
    /// wins, so <c>"Authorization: Basic a=="</c> and <c>x-key=a:b</c> both parse. Values are taken literally.
    /// </summary>
    public static KeyValuePair<string, string> ParseFlag(string header, int index)
    {
        int colon = header.IndexOf(':');
        int equals = header.IndexOf('=');
        int split = colon < 0 ? equals : equals < 0 ? colon : Math.Min(colon, equals);
        string name = split > 0 ? header[..split].Trim() : "";
        if (name.Length == 0)
        {
            throw new AgentStraceException($"Invalid --header #{index + 1}: use \"Name: value\" or name=value.");
        }
        if (!IsToken(name))
        {
            throw new AgentStraceException($"Invalid --header #{index + 1}: the name before ':' or '=' may only hold letters, digits and !#$%&'*+-.^_`|~ (use \"Name: value\").");
        }
        string value = header[(split + 1)..].Trim();
        if (HasLineBreakOrNul(value))
        {
            throw new AgentStraceException($"Invalid --header #{index + 1} ({name}): the value holds a line break or NUL, which would inject request headers.");
        }
        return new(name, value);
    }

    /// <summary>
    /// <c>k1=v1,k2=v2</c>: split on ',', then on the first '=', then percent-decode key and value (so an encoded
    /// <c>%2C</c> inside a value survives). Invalid entries are skipped with a warning naming the variable.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseEnvHeaders(string value, string variable, List<string> warnings)
    {
        var result = new List<KeyValuePair<string, string>>();
        string[] entries = value.Split(',');
        for (int i = 0; i < entries.Length; i++)
        {
            string entry = entries[i];
            if (entry.Trim().Length == 0) continue;
            int eq = entry.IndexOf('=');
            if (eq <= 0 || !PercentDecoding.TryDecode(entry.AsSpan(0, eq).Trim(), out string key)
                || !PercentDecoding.TryDecode(entry.AsSpan(eq + 1).Trim(), out string decoded) || !IsToken(key))
            {
                warnings.Add($"Ignored entry #{i + 1} of {variable}: expected name=value with a valid header name and percent-encoding.");
                continue;
            }
            if (HasLineBreakOrNul(decoded))
            {
                throw new AgentStraceException($"Invalid entry #{i + 1} of {variable} ({key}): the value holds a line break or NUL (%0D, %0A or %00), which would inject request headers.");
            }
            result.Add(new(key, decoded));
        }
        return result;
    }

    /// <summary>
    /// Refuses (exit 2) any header whose value holds CR, LF or NUL, wherever it came from (flags, variables, backend
    /// key variables): sent as is, such a value splits into extra request headers. The message names the header only.
    /// </summary>
    public static void RequireSafeValues(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (KeyValuePair<string, string> h in headers)
        {
            if (HasLineBreakOrNul(h.Value) || !IsToken(h.Key))
            {
                throw new AgentStraceException($"Invalid value of the {h.Key} header: it holds a line break or NUL, which would inject request headers.");
            }
        }
    }

    public static bool HasLineBreakOrNul(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;

    /// <summary><c>OTEL_RESOURCE_ATTRIBUTES</c>: any decode error discards the whole variable (resource SDK spec).</summary>
    public static List<KeyValuePair<string, string>> ParseResourceAttributes(string value, List<string> warnings)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (string entry in value.Split(','))
        {
            if (entry.Trim().Length == 0) continue;
            int eq = entry.IndexOf('=');
            if (eq <= 0 || !PercentDecoding.TryDecode(entry.AsSpan(0, eq).Trim(), out string key) || key.Length == 0
                || !PercentDecoding.TryDecode(entry.AsSpan(eq + 1).Trim(), out string decoded))
            {
                warnings.Add("Ignored OTEL_RESOURCE_ATTRIBUTES: it is not a list of key=value pairs with ',' and '=' percent-encoded.");
                return [];
            }
            result.Add(new(key, decoded));
        }
        return result;
    }

    /// <summary>Adds or replaces (case-insensitively) a header, keeping the first position.</summary>
    public static void Set(List<KeyValuePair<string, string>> headers, string name, string value)
    {
        for (int i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                headers[i] = new(headers[i].Key, value);
                return;
            }
        }
        headers.Add(new(name, value));
    }

    public static string? Get(List<KeyValuePair<string, string>> headers, string name)
    {
        foreach (KeyValuePair<string, string> h in headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
        }
        return null;
    }

    // RFC 9110 token characters.
    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c))) return false;
        }
        return name.Length > 0;
    }
}
