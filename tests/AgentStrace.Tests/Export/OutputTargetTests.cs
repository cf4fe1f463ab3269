using System.Buffers;
using AgentStrace.Export;
using AgentStrace.Tests.Support;

namespace AgentStrace.Tests.Export;

public sealed class OutputTargetTests
{
    [Test]
    public async Task Commit_ReplacesAnExistingFile_AndLeavesNothingBehind()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "trace.pb");
        File.WriteAllText(path, "old content that is longer than the new one");
        using (var target = OutputTarget.Open(path))
        {
            target.Writer.Write("new"u8);
            target.Commit();
        }
        await Assert.That(File.ReadAllText(path)).IsEqualTo("new");
        await Assert.That(Directory.GetFiles(temp.Path).Select(f => Path.GetFileName(f)).ToArray()).IsEquivalentTo(new[] { "trace.pb" });
    }

    [Test]
    public async Task FailedExport_LeavesNoHalfFile()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "trace.pb");
        File.WriteAllText(path, "old");
        using (var target = OutputTarget.Open(path))
        {
            target.Writer.Write("half"u8);
        }
        // Like a shell redirection, the old file is replaced from the start; the new one never appears half-written.
        await Assert.That(Directory.GetFiles(temp.Path)).IsEmpty();
    }

    [Test]
    public async Task Commit_OntoADirectory_FailsAndKeepsIt()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(path);
        var target = OutputTarget.Open(path);
        target.Writer.Write("x"u8);
        await Assert.That(() => target.Commit()).Throws<IOException>();
        target.Dispose();
        await Assert.That(Directory.Exists(path)).IsTrue();
        await Assert.That(Directory.GetFiles(temp.Path)).IsEmpty();
    }
}
