using System.Buffers;
using AgentStrace.Export;
using AgentStrace.Output;
using AgentStrace.Testing;

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
        await Assert.That(Directory.GetFiles(temp.Path).Select(f => Path.GetFileName(f)).ToArray()).IsEquivalentTo(new[] { "trace.pb" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task FailedExport_LeavesTheOldFileAndNoHalfFile()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "trace.pb");
        File.WriteAllText(path, "old");
        using (var target = OutputTarget.Open(path))
        {
            target.Writer.Write("half"u8);
        }
        // The new file is only renamed into place at Commit: a failed export keeps the old one, whole.
        await Assert.That(File.ReadAllText(path)).IsEqualTo("old");
        await Assert.That(Directory.GetFiles(temp.Path).Select(f => Path.GetFileName(f)).ToArray()).IsEquivalentTo(new[] { "trace.pb" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Open_OntoADirectory_IsRefusedAndKeepsIt()
    {
        using var temp = new TempDir();
        string path = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(path);
        await Assert.That(() => OutputTarget.Open(path)).Throws<AgentStrace.Errors.AgentStraceException>().WithMessageContaining("is a directory");
        await Assert.That(Directory.Exists(path)).IsTrue();
        await Assert.That(Directory.GetFiles(temp.Path)).IsEmpty();
    }
}
