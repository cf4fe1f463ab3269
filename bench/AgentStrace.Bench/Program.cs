using System.Diagnostics;
using System.Globalization;
using AgentStrace.Bench;
using AgentStrace.Model;
using AgentStrace.Store;

// Benchmark harness: not part of the test run. Usage:
//   gen    <store-dir> <tool-calls> [seed]        generate a synthetic session, print its id
//   gen-store <store-dir> <sessions> [seed]        a big store: that many small sessions (see StoreGenerator)
//   parse  <session-dir> [repeat]                  parse throughput (GB/s) and peak RSS
//   append <session-dir> <count> <tag>             append <count> events (used by the parallel-append test)
//   export <store-dir> <session-id> [repeat]       in-process phase timings: parse, build spans, encode protobuf
//   hook   <agent-strace-binary> <empty-dir> [runs] [subagents]  hook wall time and peak RSS on a ~100k-event session,
//          with that many running sub-agents whose 2 MiB transcripts the attribution looks through; a sixth argument
//          "ship" configures shipping (collector down) and makes every tenth call a Stop
return args.FirstOrDefault() switch
{
    "gen" => Gen(args),
    "store" => StoreBench.Run(args[1]),
    "gen-store" => StoreGenerator.Generate(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 7),
    "parse" => Parse(args),
    "append" => Append(args),
    "export" => await ExportBench.RunAsync(args),
    "hook" => HookBench.Run(Path.GetFullPath(args[1]), Path.GetFullPath(args[2]), args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200,
    args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0, args.Length > 5 && args[5] == "ship"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: agent-strace-bench gen <store> <tool-calls> [seed] | gen-store <store> <sessions> [seed] | parse <session-dir> [repeat] | append <session-dir> <count> <tag> | hook <binary> <empty-dir> [runs] [subagents]");
    return 2;
}

static int Gen(string[] a)
{
    Console.WriteLine(SessionGenerator.Generate(a[1], int.Parse(a[2], CultureInfo.InvariantCulture), a.Length > 3 ? int.Parse(a[3], CultureInfo.InvariantCulture) : 7));
    return 0;
}

static int Parse(string[] a)
{
    string path = Path.Combine(a[1], "events.ndjson");
    int repeat = a.Length > 2 ? int.Parse(a[2], CultureInfo.InvariantCulture) : 3;
    long bytes = new FileInfo(path).Length;
    double best = double.MaxValue;
    long events = 0;
    for (int r = 0; r < repeat; r++)
    {
        var sw = Stopwatch.StartNew();
        using var reader = new EventReader(path);
        events = 0;
        while (reader.TryRead(out _)) events++;
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    Console.WriteLine(FormattableString.Invariant($"parse: {events} events, {bytes / 1e6:0.0} MB in {best * 1000:0} ms = {bytes / best / 1e9:0.00} GB/s; peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0.0} MiB"));
    return 0;
}

static int Append(string[] a)
{
    var writer = new EventWriter(a[1]);
    int count = int.Parse(a[2], CultureInfo.InvariantCulture);
    string sid = Path.GetFileName(a[1]);
    for (int i = 0; i < count; i++)
    {
        var b = new EventBuilder();
        b.Data.WriteString("tag", a[3]);
        b.Data.WriteNumber("i", (long)i);
        writer.Append(b.Build(EventType.Decision, sid));
    }
    return 0;
}
