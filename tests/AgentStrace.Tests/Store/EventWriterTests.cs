using System.Diagnostics;
using System.Text;
using AgentStrace.Model;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Store;

public sealed class EventWriterTests
{
    [Test]
    [Arguments("9f1c2b7e-5a4d-4c")]
    [Arguments("b41d7e09c2a84f65")]
    [Arguments("c7a05e3f91d24b68")]
    public async Task Append_FixtureEvents_ReproducesUpstreamChainBytes(string session)
    {
        using var temp = new TempDir();
        string source = Path.Combine(Repo.SampleStore, session, "events.ndjson");
        var writer = new EventWriter(temp.Path);
        foreach (TraceEvent e in EventReader.ReadFile(source))
        {
            // Drop the stored hash: the writer must compute the same one.
            writer.Append(new TraceEvent { Type = e.Type, Timestamp = e.Timestamp, EventId = e.EventId, SessionId = e.SessionId, ParentId = e.ParentId, DurationMs = e.DurationMs, Data = e.Data });
        }
        await Assert.That(File.ReadAllText(writer.EventsPath)).IsEqualTo(File.ReadAllText(source));
    }

    [Test]
    public async Task Append_AfterForeignAppend_RebuildsTailHash()
    {
        using var temp = new TempDir();
        var writer = new EventWriter(temp.Path);
        writer.Append(Decision("s", 1));
        // Another writer (the Python tool) appends without touching our sidecar.
        string foreign = "{\"event_type\":\"decision\",\"timestamp\":2.0,\"event_id\":\"abc\",\"data\":{}}";
        File.AppendAllText(writer.EventsPath, foreign + "\n");
        TraceEvent third = writer.Append(Decision("s", 3));
        await Assert.That(third.PrevHash).IsEqualTo(Ids.Sha256Hex(Encoding.UTF8.GetBytes(foreign)));
    }

    [Test]
    public async Task Append_OverALongerTailSidecar_LeavesExactlyTheNewTail()
    {
        // The sidecar is overwritten in place (no truncation to zero): a longer old one must not leave bytes behind.
        using var temp = new TempDir();
        var writer = new EventWriter(temp.Path);
        writer.Append(Decision("s", 1));
        string tail = Path.Combine(temp.Path, ".tail");
        File.WriteAllText(tail, "99999999999999 " + new string('0', 64) + "\n" + new string('x', 300));
        writer.Append(Decision("s", 2));
        byte[] log = File.ReadAllBytes(writer.EventsPath);
        int lastStart = Array.LastIndexOf(log, (byte)'\n', log.Length - 2) + 1;
        string expected = $"{log.Length} {Ids.Sha256Hex(log.AsSpan(lastStart, log.Length - 1 - lastStart))}\n";
        await Assert.That(File.ReadAllText(tail)).IsEqualTo(expected);
        TraceEvent third = writer.Append(Decision("s", 3));
        await Assert.That(third.PrevHash).IsEqualTo(Ids.Sha256Hex(log.AsSpan(lastStart, log.Length - 1 - lastStart)));
    }

    [Test]
    public async Task Append_AfterTornLastLine_StartsNewLineAndChainsToLastValidEvent()
    {
        using var temp = new TempDir();
        var writer = new EventWriter(temp.Path);
        TraceEvent first = writer.Append(Decision("s", 1));
        File.AppendAllText(writer.EventsPath, "{\"event_type\":\"deci");
        TraceEvent next = writer.Append(Decision("s", 2));
        string[] lines = File.ReadAllLines(writer.EventsPath);
        await Assert.That(lines.Length).IsEqualTo(3);
        await Assert.That(lines[1]).IsEqualTo("{\"event_type\":\"deci");
        await Assert.That(next.PrevHash).IsEqualTo(Ids.Sha256Hex(Encoding.UTF8.GetBytes(lines[0])));
        await Assert.That(first.PrevHash).IsEqualTo("");
    }

    [Test]
    public async Task Append_EightProcessesInParallel_KeepsEveryLineAndTheChain()
    {
        using var temp = new TempDir();
        string bench = Path.Combine(Path.GetDirectoryName(typeof(EventWriterTests).Assembly.Location)!.Replace("tests/AgentStrace.Tests", "bench/AgentStrace.Bench", StringComparison.Ordinal), "agent-strace-bench.dll");
        await Assert.That(File.Exists(bench)).IsTrue();
        var processes = Enumerable.Range(0, 8).Select(i => Process.Start(new ProcessStartInfo("dotnet", [bench, "append", temp.Path, "1000", "p" + i]) { RedirectStandardError = true })!).ToList();
        foreach (Process p in processes)
        {
            await p.WaitForExitAsync();
            await Assert.That(p.ExitCode).IsEqualTo(0);
        }
        string[] lines = File.ReadAllLines(Path.Combine(temp.Path, "events.ndjson"));
        await Assert.That(lines.Length).IsEqualTo(8000);
        string prev = "";
        var perTag = new Dictionary<string, int>();
        foreach (string line in lines)
        {
            TraceEvent? e = EventLine.TryParse(Encoding.UTF8.GetBytes(line), 0, out _);
            await Assert.That(e).IsNotNull();
            await Assert.That(e!.PrevHash).IsEqualTo(prev);
            prev = Ids.Sha256Hex(Encoding.UTF8.GetBytes(line));
            string tag = e.Data.GetString("tag"u8);
            perTag[tag] = perTag.GetValueOrDefault(tag) + 1;
        }
        await Assert.That(perTag.Count).IsEqualTo(8);
        await Assert.That(perTag.Values.All(v => v == 1000)).IsTrue();
    }

    private static TraceEvent Decision(string session, double ts)
    {
        var b = new EventBuilder();
        b.Data.WriteString("choice", "x");
        return b.Build(EventType.Decision, session, ts);
    }
}
