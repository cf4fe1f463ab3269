using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>
/// What the binary does at start that a Native AOT "hello" does not, seen from the kernel (strace): no search for a
/// libc to load (its entry points are bound at link time), and a hook starts no thread of its own (the runtime's
/// finalizer is the only one), and the runtime's type data is expanded into memory the kernel mapped in one step
/// (Native/prefault.c) rather than ~550 page faults. Each shows up in every hook call Claude Code makes.
/// </summary>
public sealed class StartupSyscallTests
{
    private static Task<string[]> Trace(string dir, string stdin, params string[] args) =>
        Trace("openat,open,clone,clone3,fork,vfork", dir, stdin, args);

    private static async Task<string[]> Trace(string syscalls, string dir, string stdin, string[] args)
    {
        string log = Path.Combine(dir, "strace.log");
        CliResult r = await ProcessRunner.RunAsync(ProcessRunner.Which("strace")!,
            ["-f", "-qq", "-e", "trace=" + syscalls, "-o", log, AgentStraceCli.BinaryPath, .. args],
            TimeSpan.FromSeconds(60), new Dictionary<string, string?> { ["AGENT_STRACE_DIR"] = Path.Combine(dir, "store"), ["XDG_CONFIG_HOME"] = Path.Combine(dir, "config") }, dir, stdin: stdin);
        await Assert.That(r.ExitCode).IsEqualTo(0).Because(r.ToString());
        return File.ReadAllLines(log);
    }

    private static void SkipUnlessTraceable()
    {
        Skip.When(!OperatingSystem.IsLinux(), "strace is Linux-only");
        Skip.When(ProcessRunner.Which("strace") is null, "strace is not installed");
    }

    [Test]
    public async Task Version_DoesNotSearchForLibc()
    {
        SkipUnlessTraceable();
        using var t = new TempDir();
        string[] lines = await Trace(t.Path, "", "--version");
        await Assert.That(lines.Where(l => l.Contains("libc.so\"", StringComparison.Ordinal) || l.Contains("liblibc", StringComparison.Ordinal)))
            .IsEmpty().Because(string.Join('\n', lines));
    }

    [Test]
    public async Task Hook_StartsNoThreadOfItsOwn_AndRecordsTheEvent()
    {
        SkipUnlessTraceable();
        using var t = new TempDir();
        string payload = $$"""{"session_id":"startup-sess-0001","cwd":"{{t.Path}}","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"true"},"tool_use_id":"toolu_1"}""";
        string[] lines = await Trace(t.Path, payload, "hook", "PreToolUse");
        string[] threads = [.. lines.Where(l => (l.Contains("clone", StringComparison.Ordinal) || l.Contains("fork(", StringComparison.Ordinal)) && !l.Contains("resumed>", StringComparison.Ordinal))];
        await Assert.That(threads.Length).IsLessThanOrEqualTo(1).Because(string.Join('\n', threads));
        string events = File.ReadAllText(Path.Combine(t.Path, "store", "startup-sess-000", "events.ndjson"));
        await Assert.That(events).Contains("\"toolu_1\"");
    }

    [Test]
    public async Task Version_MovesPopulatedMemoryOverTheHydratedSection_BeforeTheRuntimeStarts()
    {
        SkipUnlessTraceable();
        using var t = new TempDir();
        string[] lines = await Trace("mremap,madvise", t.Path, "", ["--version"]);
        string all = string.Join('\n', lines);
        Skip.When(all.Contains("MADV_POPULATE_WRITE) = -1 EINVAL", StringComparison.Ordinal), "the kernel has no MADV_POPULATE_WRITE (Linux < 5.14)");
        // mremap(<populated>, <len>, <len>, MREMAP_MAYMOVE|MREMAP_FIXED, <.hydrated>) = <.hydrated>: the move happened.
        string? move = lines.FirstOrDefault(l => l.Contains("mremap(", StringComparison.Ordinal) && l.Contains("MREMAP_FIXED", StringComparison.Ordinal));
        await Assert.That(move).IsNotNull().Because(all);
        string target = move![(move.LastIndexOf(", ", StringComparison.Ordinal) + 2)..move.IndexOf(')', StringComparison.Ordinal)];
        await Assert.That(move.EndsWith("= " + target, StringComparison.Ordinal)).IsTrue().Because(all);
        await Assert.That(all).Contains("MADV_POPULATE_WRITE) = 0");
    }
}
