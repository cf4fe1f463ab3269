using System.Security.Cryptography;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Support;

/// <summary>
/// A copy of the sample store whose session ids are fresh (so trace ids are new): receivers that keep data, like
/// the shared Aspire dashboard, see every test's export as a new trace.
/// </summary>
public sealed class FreshStore : IDisposable
{
    private static readonly string[] s_ids = Repo.SampleSessions;
    private readonly TempDir _dir = new();

    public FreshStore()
    {
        Directory.CreateDirectory(Store);
        foreach (string id in s_ids)
        {
            string fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            Ids[id] = fresh;
        }
        foreach (string id in s_ids)
        {
            string from = Path.Combine(Repo.SampleStore, id);
            string to = Path.Combine(Store, Ids[id]);
            Directory.CreateDirectory(to);
            foreach (string file in Directory.GetFiles(from))
            {
                string text = File.ReadAllText(file);
                foreach (var (old, fresh) in Ids) text = text.Replace(old, fresh, StringComparison.Ordinal);
                File.WriteAllText(Path.Combine(to, Path.GetFileName(file)), text);
            }
        }
    }

    /// <summary>Fixture id → fresh id.</summary>
    public Dictionary<string, string> Ids { get; } = [];

    public string Root => _dir.Path;
    public string Store => Path.Combine(_dir.Path, ".agent-traces");

    public string Hooks => Ids["9f1c2b7e-5a4d-4c"];
    public string Mcp => Ids["b41d7e09c2a84f65"];
    public string Sdk => Ids["c7a05e3f91d24b68"];

    /// <summary>The trace id of a session: SHA-256(session id)[:16 bytes], hex.</summary>
    public static string TraceId(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sessionId)))[..32];

    public static string SpanId(string eventId) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(eventId)))[..16];

    public void Dispose() => _dir.Dispose();
}
