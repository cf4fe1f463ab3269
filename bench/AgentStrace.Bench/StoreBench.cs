using System.Diagnostics;
using System.Text.Json;
using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Analysis.Reports;
using AgentStrace.Compliance;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Bench;

/// <summary>In-process phase timings over a big store (one thread): listing, reading, tokenizing, parsing, pricing, chain walk.</summary>
public static class StoreBench
{
    public static int Run(string root)
    {
        var store = new TraceStore(root);
        s_cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        List<SessionInfo> list = store.List();
        Report("list (parallel)", sw);
        long bytes = 0;
        foreach (SessionInfo s in list) bytes += File.ReadAllBytes(s.EventsPath).Length;
        Report($"read {bytes / 1e6:0} MB", sw);
        long tokens = 0;
        foreach (SessionInfo s in list)
        {
            using var lines = LineReader.Open(s.EventsPath);
            while (lines.MoveNext())
            {
                var r = new Utf8JsonReader(lines.Current.Span);
                while (r.Read()) tokens++;
            }
        }
        Report($"tokenize ({tokens} tokens)", sw);
        Span<byte> digest = stackalloc byte[32];
        foreach (SessionInfo s in list)
        {
            using var lines = LineReader.Open(s.EventsPath);
            while (lines.MoveNext()) System.Security.Cryptography.SHA256.HashData(lines.Current.Span, digest);
        }
        Report("SHA256.HashData per line", sw);
        foreach (SessionInfo s in list)
        {
            using var lines = LineReader.Open(s.EventsPath);
            while (lines.MoveNext()) Sha256.Hash(lines.Current.Span, digest);
        }
        Report("managed Sha256.Hash per line", sw);
        long events = 0;
        foreach (SessionInfo s in list)
        {
            using var reader = new EventReader(s.EventsPath);
            while (reader.TryRead(out _)) events++;
        }
        Report($"EventReader ({events} events)", sw);
        var options = CostOptions.Default(PricingTable.Load(root, null));
        foreach (SessionInfo s in list) SessionLedger.Read(s, options, null);
        Report("SessionLedger.Read", sw);
        foreach (SessionInfo s in list) ChainVerifier.Verify(s);
        Report("ChainVerifier.Verify", sw);
        AuditReadiness.Build(store, 90, 1800000000);
        Report("AuditReadiness.Build (parallel)", sw);
        return 0;
    }

    private static TimeSpan s_cpu;

    private static void Report(string what, Stopwatch sw)
    {
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Console.WriteLine(FormattableString.Invariant($"{what}: {sw.Elapsed.TotalMilliseconds:0} ms wall, {(cpu - s_cpu).TotalMilliseconds:0} ms CPU"));
        s_cpu = cpu;
        sw.Restart();
    }
}
