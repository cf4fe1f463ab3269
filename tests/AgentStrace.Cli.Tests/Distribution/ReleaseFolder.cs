using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>A release download folder as the release workflow lays it out: archives, SHA256SUMS, optional <c>latest</c>.</summary>
public sealed class ReleaseFolder : IDisposable
{
    private readonly TempDir _dir = new();

    public string Path => _dir.Path;

    /// <summary>The AOT binary published by the README's test command.</summary>
    public static byte[] RealBinary() => File.ReadAllBytes(AgentStraceCli.BinaryPath);

    /// <summary>The real binary with bytes appended: still runs, but differs, so an upgrade is observable.</summary>
    public static byte[] NewerBinary(string label) => [.. RealBinary(), .. System.Text.Encoding.ASCII.GetBytes("\0agent-strace-test-" + label)];

    public string AddTarGz(string version, string rid, byte[] exe)
    {
        string name = $"agent-strace-{version}-{rid}.tar.gz";
        using (var file = File.Create(System.IO.Path.Combine(Path, name)))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "agent-strace")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = new MemoryStream(exe),
            };
            tar.WriteEntry(entry);
        }
        return name;
    }

    public string AddZip(string version, string rid, byte[] exe)
    {
        string name = $"agent-strace-{version}-{rid}.zip";
        using var zip = ZipFile.Open(System.IO.Path.Combine(Path, name), ZipArchiveMode.Create);
        using var s = zip.CreateEntry("agent-strace.exe", CompressionLevel.Fastest).Open();
        s.Write(exe);
        return name;
    }

    /// <summary>Writes SHA256SUMS over every archive present, in <c>sha256sum</c> format.</summary>
    public void WriteSums(string? latest = null)
    {
        var lines = Directory.GetFiles(Path).Where(f => f.EndsWith(".tar.gz") || f.EndsWith(".zip")).Order(StringComparer.Ordinal)
            .Select(f => Sha256(f) + "  " + System.IO.Path.GetFileName(f));
        File.WriteAllText(System.IO.Path.Combine(Path, "SHA256SUMS"), string.Join("\n", lines) + "\n");
        string latestFile = System.IO.Path.Combine(Path, "latest");
        if (latest is null) File.Delete(latestFile); else File.WriteAllText(latestFile, latest + "\n");
    }

    /// <summary>Flips one byte of an archive after SHA256SUMS was written (a corrupted or malicious mirror).</summary>
    public void Tamper(string archive)
    {
        string path = System.IO.Path.Combine(Path, archive);
        byte[] b = File.ReadAllBytes(path);
        b[b.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, b);
    }

    /// <summary>Lowercase hex SHA-256 (byte arrays are compared by hash: a 3 MB element-wise assertion is far too slow).</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(string file)
    {
        using var s = File.OpenRead(file);
        return Convert.ToHexString(SHA256.HashData(s)).ToLowerInvariant();
    }

    public void Dispose() => _dir.Dispose();
}
