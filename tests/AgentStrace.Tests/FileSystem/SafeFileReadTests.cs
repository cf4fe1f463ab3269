using AgentStrace.FileSystem;
using AgentStrace.Testing;

namespace AgentStrace.Tests.FileSystem;

public sealed class SafeFileReadTests
{
    [Test]
    [Arguments(0)]
    [Arguments(1)]
    [Arguments(300)]
    [Arguments(70_000)]
    public async Task ReadAllBytes_ReturnsTheFileExactly(int size)
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "f");
        byte[] content = [.. Enumerable.Range(0, size).Select(i => (byte)(i * 31))];
        File.WriteAllBytes(path, content);
        await Assert.That(SafeFile.ReadAllBytes(path, 1 << 20).SequenceEqual(content)).IsTrue();
        await Assert.That(SafeFile.ReadAllBytes(path, size).SequenceEqual(content)).IsTrue();
    }

    [Test]
    public async Task ReadAllBytes_RefusesAFileOverTheBound()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "f");
        File.WriteAllBytes(path, new byte[1001]);
        await Assert.That(() => SafeFile.ReadAllBytes(path, 1000)).Throws<FileTooLargeException>();
    }

    [Test]
    public async Task TryReadAllBytes_MissingIsNull_LinkIsRefused()
    {
        using var dir = new TempDir();
        await Assert.That(SafeFile.TryReadAllBytes(Path.Combine(dir.Path, "absent"), 100)).IsNull();
        await Assert.That(SafeFile.TryReadAllBytes(Path.Combine(dir.Path, "no", "such"), 100)).IsNull();
        if (OperatingSystem.IsWindows()) return;
        File.WriteAllText(Path.Combine(dir.Path, "target"), "secret");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "link"), Path.Combine(dir.Path, "target"));
        await Assert.That(() => SafeFile.ReadAllBytes(Path.Combine(dir.Path, "link"), 100)).Throws<UnsafeFileException>();
    }

    [Test]
    public async Task ReadAllBytes_ReadsAFileThatReportsNoLength()
    {
        // /proc files report a size of 0 and are read to their end all the same.
        Skip.When(!OperatingSystem.IsLinux(), "/proc is Linux only");
        byte[] stat = SafeFile.ReadAllBytes("/proc/self/stat", 1 << 16);
        await Assert.That(stat.Length).IsGreaterThan(20);
        await Assert.That(stat[^1]).IsEqualTo((byte)'\n');
    }
}
