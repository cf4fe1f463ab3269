using System.Text;
using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests;

/// <summary>watch --stream-to durability through the AOT binary: collector outages and a damaged spool (fake collector).</summary>
[NotInParallel("watch-e2e")]
public sealed class WatchSpoolCliTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(40);

    [ClassDataSource<FakeCollector>(Shared = SharedType.PerTestSession)]
    public required FakeCollector Collector { get; init; }

    [Test]
    public async Task StreamTo_CollectorDownThenBack_AllSpansDeliveredAndStatusShowsError()
    {
        using var temp = new TempDir();
        // The first request hangs past --timeout, so the send surely fails (a 503 alone may be absorbed by the transport's own
        // retries within the timeout, depending on the backoff jitter); then an aborted connection and a 503.
        FakeScope scope = Collector.NewScope().Enqueue(FakeResponse.Hang(TimeSpan.FromSeconds(3)), new FakeResponse { Abort = true }, FakeResponse.WithStatus(503));
        var agent = new LiveSessionWriter(temp.Store);
        agent.Append("session_start", "{}");
        using var watch = new BackgroundCli(temp.Path, "watch", agent.Id, "--stream-to", Collector.HttpUrl, "--protocol", "http/json",
            "--header", scope.HeaderArgument, "--timeout", "1", "--stream-flush-interval", "0.2", "--stream-batch-size", "1", "--quiet");
        for (int i = 0; i < 4; i++) agent.ToolRoundTrip("Read", $"{{\"path\":\"f{i}.py\"}}");
        await Assert.That(await Eventually.TrueAsync(() => Task.FromResult(scope.Requests.Count >= 3), s_wait)).IsTrue();
        // The running watch rewrites its status file about once a second: poll until it has caught up.
        CliResult status = await AgentStraceCli.RunAsync(["watch", "--status"], temp.Path);
        await Eventually.TrueAsync(async () =>
        {
            status = await AgentStraceCli.RunAsync(["watch", "--status"], temp.Path);
            return !status.Stdout.Contains("last error:       none", StringComparison.Ordinal);
        }, s_wait);
        await Assert.That(status.Stdout).Contains("last error:");
        await Assert.That(status.Stdout).DoesNotContain("last error:       none");
        agent.End();
        await Assert.That(await watch.WaitAsync(s_wait)).IsEqualTo(0);

        // The first three requests failed; everything after them was accepted.
        var delivered = scope.Requests.Skip(3).SelectMany(SpanIds).ToList();
        var expected = await ExportedSpanIdsAsync(temp, agent.Id);
        await Assert.That(delivered.Distinct().Order().ToArray()).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(watch.Stderr).Contains("cannot deliver");
        await Assert.That(watch.Stderr).Contains("works again");
    }

    [Test]
    public async Task StreamTo_CorruptSpoolRecord_SkippedWithWarningRestDelivered()
    {
        using var temp = new TempDir();
        var agent = new LiveSessionWriter(temp.Store);
        agent.Append("session_start", "{}");
        for (int i = 0; i < 4; i++) agent.ToolRoundTrip("Bash", $"{{\"command\":\"step {i}\"}}");
        agent.End();
        // Nothing listens on this port: every span stays in the spool.
        int deadPort = FreePort.Next();
        var first = await AgentStraceCli.RunAsync(["watch", agent.Id, "--stream-to", $"http://127.0.0.1:{deadPort}", "--timeout", "0.5", "--drain-timeout", "1", "--quiet"], temp.Path);
        await Assert.That(first.ExitCode).IsEqualTo(3);
        await Assert.That(first.Stderr).Contains("stay in");

        string spoolFile = Directory.GetFiles(Path.Combine(temp.Store, ".spool"), "spans-*.bin").Single();
        byte[] bytes = File.ReadAllBytes(spoolFile);
        int second = IndexOf(bytes, "ASP1"u8.ToArray(), 1);
        bytes[second + 40] ^= 0x5A; // inside the second record's payload
        File.WriteAllBytes(spoolFile, bytes);

        FakeScope scope = Collector.NewScope();
        var again = await AgentStraceCli.RunAsync(["watch", agent.Id, "--stream-to", Collector.HttpUrl, "--protocol", "http/json", "--header", scope.HeaderArgument, "--quiet"], temp.Path);
        await Assert.That(again.ExitCode).IsEqualTo(0);
        await Assert.That(again.Stderr).Contains("damaged");
        var delivered = scope.Requests.SelectMany(SpanIds).Distinct().ToList();
        var expected = await ExportedSpanIdsAsync(temp, agent.Id);
        await Assert.That(delivered.Count).IsEqualTo(expected.Length - 1);
        await Assert.That(delivered.All(expected.Contains)).IsTrue();
    }

    private static IEnumerable<string> SpanIds(RecordedRequest request)
    {
        using var doc = JsonDocument.Parse(request.Body);
        var ids = new List<string>();
        foreach (JsonElement rs in doc.RootElement.GetProperty("resourceSpans").EnumerateArray())
        {
            foreach (JsonElement ss in rs.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (JsonElement s in ss.GetProperty("spans").EnumerateArray()) ids.Add(s.GetProperty("spanId").GetString()!);
            }
        }
        return ids;
    }

    private static async Task<string[]> ExportedSpanIdsAsync(TempDir temp, string sessionId)
    {
        string file = Path.Combine(temp.Path, "export-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        var r = await AgentStraceCli.RunAsync(["export", sessionId, "--format", "otlp-genai", "-o", file], temp.Path);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
        var request = new RecordedRequest { Path = "", Protocol = "", Headers = new Dictionary<string, string>(), RawBody = [], Body = File.ReadAllBytes(file), ReceivedAt = DateTimeOffset.UtcNow };
        return SpanIds(request).Order().ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int occurrence)
    {
        int found = -1;
        for (int i = 0; i <= occurrence; i++)
        {
            found = haystack.AsSpan(found + 1).IndexOf(needle) + found + 1;
        }
        return found;
    }
}
