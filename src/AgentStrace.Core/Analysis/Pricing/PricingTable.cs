namespace AgentStrace.Analysis.Pricing;

/// <summary>
/// Model name → price. Lookup normalises provider prefixes (<c>anthropic/</c>, <c>us.anthropic.</c>,
/// <c>models/</c>), date suffixes (<c>-20250929</c>, <c>@20250929</c>) and Bedrock version tags (<c>-v1:0</c>), then
/// takes the exact key or the longest key that is a whole-segment prefix (<c>gpt-5-mini-2025-08-07</c> → <c>gpt-5-mini</c>).
/// An unknown model has no price: callers report it instead of guessing.
/// </summary>
public sealed class PricingTable
{
    private readonly Dictionary<string, ModelPrice> _prices = new(StringComparer.Ordinal);

    public string SnapshotDate { get; private set; } = BuiltInPrices.SnapshotDate;

    /// <summary>The files merged over the built-in snapshot, in order.</summary>
    public List<string> Overrides { get; } = [];

    public IReadOnlyDictionary<string, ModelPrice> Prices => _prices;

    public static PricingTable BuiltIn()
    {
        var table = new PricingTable();
        foreach (var (model, price) in BuiltInPrices.All()) table._prices[model] = price;
        return table;
    }

    /// <summary>
    /// Built-in prices, then <c>&lt;user config dir&gt;/pricing.json</c>, then <c>&lt;store&gt;/pricing.json</c>, then
    /// <paramref name="pricingFile"/>; each file replaces the models it names.
    /// </summary>
    public static PricingTable Load(string storeRoot, string? pricingFile)
    {
        PricingTable table = BuiltIn();
        foreach (string file in (string[])[Path.Combine(UserConfigDir(), "pricing.json"), Path.Combine(storeRoot, "pricing.json")])
        {
            if (File.Exists(file)) table.Merge(file);
        }
        if (!string.IsNullOrEmpty(pricingFile)) table.Merge(pricingFile);
        return table;
    }

    /// <summary><c>$AGENT_STRACE_CONFIG_DIR</c>, else <c>$XDG_CONFIG_HOME/agent-strace</c>, else <c>~/.config/agent-strace</c> (<c>%APPDATA%\agent-strace</c> on Windows).</summary>
    public static string UserConfigDir()
    {
        if (Environment.GetEnvironmentVariable("AGENT_STRACE_CONFIG_DIR") is { Length: > 0 } own) return own;
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "agent-strace");
        if (Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "agent-strace");
        string home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "agent-strace");
    }

    /// <summary>Adds or replaces the models of a pricing file (see <see cref="PricingFile"/>).</summary>
    public void Merge(string path)
    {
        PricingFile file = PricingFile.Read(path);
        foreach (var (model, price) in file.Models) _prices[Normalize(model)] = price;
        if (file.Snapshot is { Length: > 0 } date) SnapshotDate = date;
        Overrides.Add(path);
    }

    public void Set(string model, ModelPrice price) => _prices[Normalize(model)] = price;

    public bool TryFind(string model, out ModelPrice price, out string key)
    {
        key = Normalize(model);
        if (key.Length == 0)
        {
            price = default;
            return false;
        }
        if (_prices.TryGetValue(key, out price)) return true;
        string? best = null;
        foreach (string candidate in _prices.Keys)
        {
            if (key.Length > candidate.Length && key.StartsWith(candidate, StringComparison.Ordinal) && key[candidate.Length] == '-'
                && (best is null || candidate.Length > best.Length))
            {
                best = candidate;
            }
        }
        if (best is null) return false;
        key = best;
        price = _prices[best];
        return true;
    }

    public static string Normalize(string model)
    {
        string m = model.Trim().ToLowerInvariant();
        int slash = m.LastIndexOf('/');
        if (slash >= 0) m = m[(slash + 1)..];
        foreach (string prefix in (string[])["us.", "eu.", "apac.", "global."]) if (m.StartsWith(prefix, StringComparison.Ordinal)) m = m[prefix.Length..];
        foreach (string prefix in (string[])["anthropic.", "openai.", "google."]) if (m.StartsWith(prefix, StringComparison.Ordinal)) m = m[prefix.Length..];
        int at = m.IndexOf('@');
        if (at > 0) m = m[..at];
        int version = m.IndexOf("-v", StringComparison.Ordinal);
        if (version > 0 && m.IndexOf(':', version) > 0) m = m[..version];
        // A trailing 8-digit date (claude-sonnet-4-5-20250929).
        if (m.Length > 9 && m[^9] == '-' && m.AsSpan(m.Length - 8).IndexOfAnyExceptInRange('0', '9') < 0) m = m[..^9];
        return m;
    }
}
