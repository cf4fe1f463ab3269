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
