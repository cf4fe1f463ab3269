using System.Globalization;
using System.IO.Hashing;
using System.Text;
using AgentStrace.Config;
using AgentStrace.Json;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary>
/// Which sessions leave the machine. The path glob and the sampling ratio are decided at once (turn by turn delivery
/// stays); <c>--min-cost</c> and <c>--errors-only</c> need the whole session, so with them a session is judged and
/// shipped at its end. Sessions filtered out stay in the local store.
/// </summary>
public sealed class ShipFilter(ShipConfig config)
{

    public bool NeedsWholeSession => config.MinCost > 0 || config.ErrorsOnly;

    /// <summary>"" to ship, else the reason the session stays local.</summary>
    public string Reject(SessionInfo s)
    {
        if (config.Sample < 1 && !Sampled(s.Id, config.Sample)) return "sampled out at " + config.Sample.ToString("0.###", CultureInfo.InvariantCulture);
        if (config.PathGlob.Length > 0)
        {
            string dir = s.Meta.Attribution is { } a ? a.AsObject().GetString("working_dir"u8) : "";
            if (!GlobMatch(config.PathGlob, dir)) return $"working directory does not match {config.PathGlob}";
        }
        return "";
    }

    internal string RejectWhole(SessionInfo s, SessionVerdict v)
    {
        if (config.ErrorsOnly && !v.HasErrors) return "no errors";
        if (config.MinCost > 0 && v.CostUsd < config.MinCost)
        {
            return $"cost ${v.CostUsd.ToString("0.0000", CultureInfo.InvariantCulture)} below ${config.MinCost.ToString("0.####", CultureInfo.InvariantCulture)}";
        }
        return "";
    }

    /// <summary>Deterministic by session id: every machine and every run keeps the same sessions for a ratio.</summary>
    public static bool Sampled(string sessionId, double ratio)
    {
        ulong h = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(sessionId));
        return h / (double)ulong.MaxValue < ratio;
    }

    /// <summary><c>**</c> matches across directories, <c>*</c> and <c>?</c> within one; the whole path must match.</summary>
    public static bool GlobMatch(ReadOnlySpan<char> glob, ReadOnlySpan<char> path)
    {
        while (glob.Length > 0)
        {
            if (glob.StartsWith("**"))
            {
                ReadOnlySpan<char> rest = glob[2..];
                for (int i = 0; i <= path.Length; i++)
                {
                    if (GlobMatch(rest, path[i..])) return true;
                }
                return false;
            }
            if (glob[0] == '*')
            {
                ReadOnlySpan<char> rest = glob[1..];
                for (int i = 0; i <= path.Length; i++)
                {
                    if (GlobMatch(rest, path[i..])) return true;
                    if (i < path.Length && path[i] == '/') return false;
                }
                return false;
            }
            if (path.Length == 0 || (glob[0] != '?' && glob[0] != path[0]) || (glob[0] == '?' && path[0] == '/')) return false;
            glob = glob[1..];
            path = path[1..];
        }
        return path.Length == 0;
    }
}
