using System.Text;
using AgentStrace.FileSystem;
using AgentStrace.Testing;

namespace AgentStrace.Tests.FileSystem;

public sealed class SafeFileWriteTests
{
    [Test]
    public async Task WriteSwapped_EachWriteLeavesExactlyItsBytes_LongerAndShorter()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "state.json");
        foreach (string text in new[] { "{\"a\":1}", "{\"a\":1,\"b\":\"" + new string('x', 5000) + "\"}", "{}", "{\"c\":3}" })
        {
            SafeFile.WriteSwapped(path, Encoding.UTF8.GetBytes(text));
            await Assert.That(File.ReadAllText(path)).IsEqualTo(text);
        }
    }

    [Test]
    public async Task WriteSwapped_OnLinux_ExchangesTheNames_SoTheOldInodeIsKept()
    {
        // The point of the exchange: the old file is not freed (no inode released per hook call) but kept as the swap.
        Skip.When(!OperatingSystem.IsLinux(), "renameat2(RENAME_EXCHANGE) is Linux only");
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "state.json");
        SafeFile.WriteSwapped(path, "{\"v\":1}"u8);
        SafeFile.WriteSwapped(path, "{\"v\":2}"u8);
        await Assert.That(File.ReadAllText(path + ".swap")).IsEqualTo("{\"v\":1}");
        SafeFile.WriteSwapped(path, "{\"v\":3}"u8);
        await Assert.That(File.ReadAllText(path)).IsEqualTo("{\"v\":3}");
        await Assert.That(File.ReadAllText(path + ".swap")).IsEqualTo("{\"v\":2}");
    }

    [Test]
    public async Task WriteSwapped_RefusesALinkPlantedAsTheSwap_AndLeavesItsTargetAlone()
    {
        Skip.When(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "state.json");
        string victim = Path.Combine(dir.Path, "victim");
        File.WriteAllText(victim, "keep");
        SafeFile.WriteSwapped(path, "{\"v\":1}"u8);
        File.Delete(path + ".swap");
        File.CreateSymbolicLink(path + ".swap", victim);
        await Assert.That(() => SafeFile.WriteSwapped(path, "{\"v\":2}"u8)).Throws<UnsafeFileException>();
        await Assert.That(File.ReadAllText(victim)).IsEqualTo("keep");
        await Assert.That(File.ReadAllText(path)).IsEqualTo("{\"v\":1}");
    }
}
