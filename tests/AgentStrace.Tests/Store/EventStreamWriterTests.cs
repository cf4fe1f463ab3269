using System.Text;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Store;

/// <summary>A streamed batch (a large import) is written in parts, yet ends exactly as one batch would, or not at all.</summary>
public sealed class EventStreamWriterTests
{
    private const int Events = 6000; // ~1.5 MiB of lines: more than one part

    [Test]
    public async Task AppendStream_WritesTheSameLinesAndTailAsOneBatch()
    {
        using var batch = new TempDir();
        using var stream = new TempDir();
        foreach (string dir in new[] { batch.Path, stream.Path }) new EventWriter(dir).Append(Decision(0));
        using (SessionLock.Acquire(batch.Path)) new EventWriter(batch.Path).AppendBatchLocked(Many());
        int written;
        using (SessionLock.Acquire(stream.Path)) written = new EventWriter(stream.Path).AppendStreamLocked(Many());
        await Assert.That(written).IsEqualTo(Events);
        await Assert.That(File.ReadAllBytes(Path.Combine(stream.Path, "events.ndjson"))).IsEquivalentTo(File.ReadAllBytes(Path.Combine(batch.Path, "events.ndjson")), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(File.ReadAllText(Path.Combine(stream.Path, ".tail"))).IsEqualTo(File.ReadAllText(Path.Combine(batch.Path, ".tail")));
    }

    [Test]
    public async Task AppendStream_ReaderFailsAfterAPartWasWritten_LeavesNothingOfTheBatch()
    {
        using var temp = new TempDir();
        var writer = new EventWriter(temp.Path);
        writer.Append(Decision(0));
        byte[] before = File.ReadAllBytes(writer.EventsPath);
        using (SessionLock.Acquire(temp.Path))
        {
            await Assert.That(() => writer.AppendStreamLocked(Failing())).Throws<IOException>();
        }
        await Assert.That(File.ReadAllBytes(writer.EventsPath)).IsEquivalentTo(before, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // The chain goes on from the line that stayed.
        TraceEvent next = writer.Append(Decision(1));
        await Assert.That(next.PrevHash).IsEqualTo(Ids.Sha256Hex(before.AsSpan(0, before.Length - 1)));
    }

    private static IEnumerable<TraceEvent> Many()
    {
        for (int i = 1; i <= Events; i++) yield return Decision(i);
    }

    private static IEnumerable<TraceEvent> Failing()
    {
        foreach (TraceEvent e in Many()) yield return e;
        throw new IOException("the source file went away");
    }

    private static TraceEvent Decision(double ts)
    {
        var b = new EventBuilder();
        b.Data.WriteString("choice", "x");
        b.Data.WriteString("reason", new string('r', 200));
        return b.Build(EventType.Decision, "s", ts, eventId: "e" + ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
