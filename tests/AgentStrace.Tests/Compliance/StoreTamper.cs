using System.Security.Cryptography;
using System.Text;

namespace AgentStrace.Tests.Compliance;

/// <summary>Edits a copied events.ndjson the ways an attacker (or an accident) would.</summary>
internal static class StoreTamper
{
    public static string[] Lines(string path) => File.ReadAllText(path).TrimEnd('\n').Split('\n');

    public static void Write(string path, IEnumerable<string> lines) => File.WriteAllText(path, string.Join("\n", lines) + "\n");

    /// <summary>Changes one character inside the data of 1-based line <paramref name="line"/>.</summary>
    public static void EditByte(string path, int line)
    {
        string[] lines = Lines(path);
        string l = lines[line - 1];
        int i = l.IndexOf("\"data\":{", StringComparison.Ordinal) + 10;
        lines[line - 1] = l[..i] + (l[i] == 'x' ? 'y' : 'x') + l[(i + 1)..];
        Write(path, lines);
    }

    public static void DeleteLine(string path, int line) => Write(path, Lines(path).Where((_, i) => i != line - 1));

    public static void Swap(string path, int a, int b)
    {
        string[] lines = Lines(path);
        (lines[a - 1], lines[b - 1]) = (lines[b - 1], lines[a - 1]);
        Write(path, lines);
    }

    /// <summary>Appends an event whose prev_hash is a real digest from the chain, just not the last line's.</summary>
    public static string AppendForged(string path)
    {
        string[] lines = Lines(path);
        string plausible = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines[^2])));
        string forged = "{\"event_type\":\"decision\",\"timestamp\":1778145400.5,\"event_id\":\"f0f0f0f0f0f0\",\"data\":{\"choice\":\"approve refund\"},\"prev_hash\":\"" + plausible + "\"}";
        Write(path, lines.Append(forged));
        return forged;
    }
}
