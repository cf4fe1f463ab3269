using AgentStrace.Capture.Import;

namespace AgentStrace.Tests.Capture;

public sealed class NumberSetTests
{
    [Test]
    public async Task Add_AgreesWithAHashSet_IncludingZeroAndRepeats()
    {
        var random = new Random(17);
        var set = new NumberSet();
        var reference = new HashSet<ulong>();
        int disagreements = 0;
        for (int i = 0; i < 200_000; i++)
        {
            // Half repeats of a small range (including 0), half spread over 48 bits like event ids.
            ulong n = i % 2 == 0 ? (ulong)random.Next(0, 5000) : (ulong)random.NextInt64(0, 1L << 48);
            if (set.Add(n) != reference.Add(n)) disagreements++;
        }
        await Assert.That(disagreements).IsEqualTo(0);
        foreach (ulong n in new ulong[] { 0, 1, 4999, 5000, 1UL << 47 }) await Assert.That(set.Contains(n)).IsEqualTo(reference.Contains(n));
    }
}

/// <summary>The sets a streamed import keeps instead of strings: event ids past the split, and hashed message/tool ids.</summary>
public sealed class ImportIndexTests
{
    [Test]
    public async Task EventIdSet_AgreesWithAHashSet_BeforeAndAfterItSplits()
    {
        var random = new Random(23);
        var set = new EventIdSet();
        var reference = new HashSet<string>(StringComparer.Ordinal);
        int disagreements = 0;
        for (int i = 0; i < 300_000; i++)
        {
            // Event ids (some with low 32 bits of 0, some repeated), and a few ids that are not 12 hex digits.
            ulong n = i % 3 == 0 ? (ulong)random.Next(0, 3000) << 32 : (ulong)random.NextInt64(0, 1L << 48);
            string id = i % 1000 == 7 ? "other-" + (i % 5000) : n.ToString("x12", System.Globalization.CultureInfo.InvariantCulture);
            if (set.Add(id) != reference.Add(id)) disagreements++;
            if (i % 10 == 0 && set.Add(id)) disagreements++; // a repeat is always refused
        }
        await Assert.That(disagreements).IsEqualTo(0);
        await Assert.That(reference.Count).IsGreaterThan(1 << 16); // the split happened
    }

    [Test]
    public async Task KeyIndex_NumbersKeysInTheOrderFirstSeen()
    {
        var index = new KeyIndex();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        int wrong = 0;
        for (int i = 0; i < 100_000; i++)
        {
            string key = "msg_" + (i * 7919 % 60_000) + "\nreq_" + (i % 3);
            int n = index.Add(key, out bool added);
            if (added != !numbers.ContainsKey(key)) wrong++;
            if (added) numbers[key] = numbers.Count;
            if (n != numbers[key] || index.Find(key) != n) wrong++;
        }
        await Assert.That(wrong).IsEqualTo(0);
        await Assert.That(index.Count).IsEqualTo(numbers.Count);
        await Assert.That(index.Find("msg_absent")).IsEqualTo(-1);
    }
}
