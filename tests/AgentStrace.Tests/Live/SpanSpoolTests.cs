using AgentStrace.Live.Spool;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Live;

public sealed class SpanSpoolTests
{
    private static SpoolRecord Record(string session, long offset, int size = 40, bool root = false) =>
        new(session, offset, 1_700_000_000 + offset, root, Enumerable.Range(0, size).Select(i => (byte)(i + offset)).ToArray());

    private static (SpanSpool Spool, Checkpoint Checkpoint, List<string> Warnings) Open(string dir, long cap = 1 << 20)
    {
        var warnings = new List<string>();
        var checkpoint = Checkpoint.Load(Path.Combine(dir, "checkpoint.json"));
        return (new SpanSpool(dir, checkpoint, cap, warnings.Add), checkpoint, warnings);
    }

    [Test]
    public async Task AppendPeekAcknowledge_AllDelivered_RotatesToEmptyGeneration()
    {
        using var temp = new TempDir();
        var (spool, _, _) = Open(temp.Path);
        using (spool)
        {
            spool.Append([Record("a", 10), Record("a", 20), Record("b", 5)]);
            var batch = spool.Peek(10);
            await Assert.That(batch.Select(b => b.Record.SourceOffset).ToArray()).IsEquivalentTo(new long[] { 10, 20, 5 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
            await Assert.That(batch[1].Record.Otlp).IsEquivalentTo(Record("a", 20).Otlp, TUnit.Assertions.Enums.CollectionOrdering.Matching);
            spool.Acknowledge(batch);
            await Assert.That(spool.PendingSpans).IsEqualTo(0);
            await Assert.That(spool.Generation).IsEqualTo(1);
        }
        var reopened = Checkpoint.Load(Path.Combine(temp.Path, "checkpoint.json"));
        await Assert.That(reopened.SpoolGeneration).IsEqualTo(1);
        await Assert.That(File.Exists(Path.Combine(temp.Path, "spans-0.bin"))).IsFalse();
    }

    [Test]
    public async Task Reopen_AfterPartialAcknowledge_ResumesAfterAcknowledgedRecords()
    {
        using var temp = new TempDir();
        var (spool, _, _) = Open(temp.Path);
        spool.Append([Record("a", 10), Record("a", 20), Record("a", 30)]);
        spool.Acknowledge(spool.Peek(1));
        spool.Dispose(); // like a kill: nothing else is written

        var (again, _, warnings) = Open(temp.Path);
        using (again)
        {
            await Assert.That(again.PendingSpans).IsEqualTo(2);
            await Assert.That(again.RecoveredOffsets["a"]).IsEqualTo(30);
            await Assert.That(again.Peek(10).Select(b => b.Record.SourceOffset).ToArray()).IsEquivalentTo(new long[] { 20, 30 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
            await Assert.That(warnings).IsEmpty();
        }
    }

    [Test]
    public async Task Peek_CorruptRecord_SkipsItWithWarning()
    {
        using var temp = new TempDir();
        var (spool, _, _) = Open(temp.Path);
        spool.Append([Record("a", 10), Record("a", 20), Record("a", 30)]);
        string file = spool.PathOf(spool.Generation);
        spool.Dispose();
        byte[] bytes = File.ReadAllBytes(file);
        int second = bytes.Length / 3; // records are the same size
        bytes[second + SpoolFormat.HeaderSize + 20] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var (again, _, warnings) = Open(temp.Path);
        using (again)
        {
            var batch = again.Peek(10);
            await Assert.That(batch.Select(b => b.Record.SourceOffset).ToArray()).IsEquivalentTo(new long[] { 10, 30 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
            await Assert.That(warnings.Any(w => w.Contains("checksum mismatch"))).IsTrue();
        }
    }

    [Test]
    public async Task Open_TornTail_TruncatesAndKeepsCompleteRecords()
    {
        using var temp = new TempDir();
        var (spool, _, _) = Open(temp.Path);
        spool.Append([Record("a", 10), Record("a", 20)]);
        string file = spool.PathOf(spool.Generation);
        spool.Dispose();
        byte[] torn = SpoolFormat.Encode(Record("a", 30));
        using (var f = new FileStream(file, FileMode.Append)) f.Write(torn, 0, torn.Length - 7);

        var (again, _, warnings) = Open(temp.Path);
        using (again)
        {
            await Assert.That(again.PendingSpans).IsEqualTo(2);
            await Assert.That(warnings.Any(w => w.Contains("cut short"))).IsTrue();
            again.Append([Record("a", 40)]);
            await Assert.That(again.Peek(10).Select(b => b.Record.SourceOffset).ToArray()).IsEquivalentTo(new long[] { 10, 20, 40 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        }
    }

    [Test]
    public async Task Append_OverCap_DropsOldestWithWarning()
    {
        using var temp = new TempDir();
        var (spool, _, warnings) = Open(temp.Path, cap: 1000);
        using (spool)
        {
            for (int i = 1; i <= 20; i++) spool.Append([Record("a", i, size: 100)]);
            await Assert.That(spool.DroppedSpans).IsGreaterThan(0);
            await Assert.That(spool.PendingBytes).IsLessThanOrEqualTo(1000);
            await Assert.That(warnings.Count(w => w.Contains("dropping the oldest unsent spans"))).IsEqualTo(1); // warned once
            var left = spool.Peek(100);
            await Assert.That(left[^1].Record.SourceOffset).IsEqualTo(20);
            await Assert.That(left.Count).IsEqualTo(spool.PendingSpans);
        }
    }

    [Test]
    public async Task CollectorDown_TheFileNeverExceedsTheCapPlusOneSegment()
    {
        using var temp = new TempDir();
        const long Cap = 10_000;
        var (spool, _, warnings) = Open(temp.Path, Cap);
        using (spool)
        {
            long largest = 0;
            for (int i = 1; i <= 2000; i++)
            {
                spool.Append([Record("a", i, size: 100)]);
                largest = Math.Max(largest, Directory.GetFiles(temp.Path, "spans-*.bin").Sum(f => new FileInfo(f).Length));
            }
            await Assert.That(largest).IsLessThanOrEqualTo(Cap + Cap / 2 + 200); // cap + one half-cap segment + one record
            await Assert.That(Directory.GetFiles(temp.Path, "spans-*.bin").Length).IsEqualTo(1);
            await Assert.That(spool.DroppedSpans).IsGreaterThan(1500);
            await Assert.That(warnings.Count(w => w.Contains("dropping"))).IsEqualTo(1);
            // What survives is the newest, in order, and delivering it empties the spool.
            var left = spool.Peek(1000);
            await Assert.That(left[^1].Record.SourceOffset).IsEqualTo(2000);
            long[] offsets = left.Select(l => l.Record.SourceOffset).ToArray();
            await Assert.That(offsets.SequenceEqual(offsets.Order())).IsTrue();
            spool.Acknowledge(left);
            await Assert.That(spool.PendingSpans).IsEqualTo(0);
        }
    }

    [Test]
    public async Task Compaction_WhileABatchIsInFlight_AcknowledgesTheRightRecords()
    {
        using var temp = new TempDir();
        var (spool, _, _) = Open(temp.Path, cap: 2000);
        using (spool)
        {
            for (int i = 1; i <= 12; i++) spool.Append([Record("a", i, size: 100)]);
            var inFlight = spool.Peek(3);
            for (int i = 13; i <= 40; i++) spool.Append([Record("a", i, size: 100)]); // drops and compacts meanwhile
            spool.Acknowledge(inFlight); // already dropped: ignored
            var next = spool.Peek(2);
            spool.Acknowledge(next);
            var rest = spool.Peek(1000);
            await Assert.That(rest[0].Record.SourceOffset).IsEqualTo(next[^1].Record.SourceOffset + 1);
            await Assert.That(rest.Count).IsEqualTo(spool.PendingSpans);
        }
    }
}
