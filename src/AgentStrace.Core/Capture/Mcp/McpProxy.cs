using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using AgentStrace.Capture.Redaction;
using AgentStrace.Errors;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Mcp;

/// <summary>
/// MCP stdio proxy, as upstream's: every byte is forwarded unchanged in both directions; newline-delimited JSON-RPC
/// messages are copied to a bounded channel and recorded by one reader, so recording never reorders or alters traffic.
/// Child stderr is inherited. The exit code is the child's. SIGINT and SIGTERM are passed on to the child; a child that
/// is still running three seconds after the command is cancelled is killed, so the session
/// is closed (session_end, meta) within the command framework's 5 s forced stop.
/// </summary>
public static class McpProxy
{
    private static readonly TimeSpan s_killGrace = TimeSpan.FromSeconds(3);

    private readonly record struct Message(bool FromClient, byte[] Line, double Time);

    public static async Task<int> RunAsync(McpProxyOptions options, TraceStore store, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        if (options.Command.Length == 0) throw new AgentStraceException("record needs a command: agent-strace record [--name N] -- <command> [args...]");
        var redactor = Redactor.For(options.Redact);
        var psi = new ProcessStartInfo(options.Command[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in options.Command.Skip(1)) psi.ArgumentList.Add(a);
        SessionMeta meta = NewMeta(options, store, redactor);
        Process child;
        try { child = Process.Start(psi) ?? throw new AgentStraceException($"Could not start '{options.Command[0]}'."); }
        catch (Win32Exception ex) { throw new AgentStraceException($"Could not start '{options.Command[0]}': {ex.Message}. Check the command and PATH."); }
        using Process ownedChild = child;
        SessionInfo session = store.Create(meta);
        if (!options.Quiet)
        {
            stderr.WriteLine($"agent-strace: recording session {session.Id}");
            stderr.WriteLine($"agent-strace: command: {meta.Command}");
        }
        using var term = ForwardSignal(PosixSignal.SIGTERM, child);
        using var interrupt = ForwardSignal(PosixSignal.SIGINT, child);
        var recorder = new McpRecorder(session.Directory, session.Id, redactor);
        recorder.Write(EventType.SessionStart, meta.StartedAt, w =>
        {
            w.WritePropertyName("command");
            w.WriteStartArray();
            foreach (string a in options.Command) w.WriteStringValue(a);
            w.WriteEndArray();
        });
        var channel = Channel.CreateBounded<Message>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, AllowSynchronousContinuations = false });
        Task record = Task.Run(async () =>
        {
            await foreach (Message m in channel.Reader.ReadAllAsync())
            {
                try { recorder.OnMessage(m.FromClient, m.Line, m.Time); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AgentStraceException) { stderr.WriteLine($"agent-strace: could not record a message: {ex.Message}"); }
            }
        });
        Stream stdin = Console.OpenStandardInput(), stdout = Console.OpenStandardOutput();
        Task toServer = Task.Run(() => Pump(stdin, child.StandardInput.BaseStream, true, channel.Writer, closeOutput: true));
        Task toClient = Task.Run(() => Pump(child.StandardOutput.BaseStream, stdout, false, channel.Writer, closeOutput: false));
        await WaitForChild(child, Task.WhenAll(toClient, child.WaitForExitAsync(CancellationToken.None)), cancellationToken);
        channel.Writer.TryComplete();
        await record;
        int exitCode = child.ExitCode;
        double end = Clock.Now();
        recorder.Write(EventType.SessionEnd, end, w => { w.WriteNumber("exit_code", (long)exitCode); w.WriteNumber("duration_ms", (end - meta.StartedAt) * 1000); });
        TraceStore.UpdateMeta(session.Directory, m =>
        {
            m.EndedAt = end;
            m.TotalDurationMs = (end - m.StartedAt) * 1000;
            m.ToolCalls += recorder.ToolCalls;
            m.LlmRequests += recorder.LlmRequests;
            m.Errors += recorder.Errors;
        });
        if (!options.Quiet)
        {
            stderr.WriteLine($"agent-strace: session {session.Id} complete");
            stderr.WriteLine($"agent-strace: {recorder.ToolCalls} tool calls, {recorder.LlmRequests} llm requests, {recorder.Errors} errors");
            stderr.WriteLine($"agent-strace: inspect with: agent-strace inspect {session.Id}");
        }
        _ = toServer; // blocked on our stdin until the client closes it; the process exits anyway
        return exitCode;
    }

    private static async Task WaitForChild(Process child, Task done, CancellationToken cancellationToken)
    {
        try
        {
            await done.WaitAsync(cancellationToken);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The signal went on to the child (ForwardSignal); most servers end on it at once.
        }
        if (await Task.WhenAny(done, Task.Delay(s_killGrace, CancellationToken.None)) != done)
        {
            try { child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        await done;
    }

    private static SessionMeta NewMeta(McpProxyOptions options, TraceStore store, Redactor redactor)
    {
        var meta = new SessionMeta
        {
            SessionId = Ids.NewSessionId(), StartedAt = Clock.Now(),
            AgentName = options.Name.Length > 0 ? options.Name : Path.GetFileName(options.Command[0]),
            Command = redactor.Text(string.Join(' ', options.Command)),
        };
        string parent = options.Parent.Length > 0 ? options.Parent : Environment.GetEnvironmentVariable("AGENT_STRACE_PARENT_SESSION") ?? "";
        if (parent.Length > 0)
        {
            SessionInfo p = store.Find(parent);
            meta.ParentSessionId = p.Id;
            meta.ParentEventId = Environment.GetEnvironmentVariable("AGENT_STRACE_PARENT_EVENT") ?? "";
            meta.Depth = p.Meta.Depth + 1;
        }
        return meta;
    }

    private static async Task Pump(Stream from, Stream to, bool fromClient, ChannelWriter<Message> channel, bool closeOutput)
    {
        var splitter = new LineSplitter(line => channel.WriteAsync(new Message(fromClient, line, Clock.Now())).AsTask().GetAwaiter().GetResult());
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer)) > 0)
            {
                try
                {
                    await to.WriteAsync(buffer.AsMemory(0, n));
                    await to.FlushAsync();
                }
                catch (IOException) { break; } // the other side went away
                splitter.Feed(buffer.AsSpan(0, n));
            }
            splitter.Flush();
        }
        catch (IOException) { }
        catch (ChannelClosedException) { }
        finally
        {
            if (closeOutput) { try { to.Close(); } catch (IOException) { } }
        }
    }

    private static PosixSignalRegistration? ForwardSignal(PosixSignal signal, Process child)
    {
        if (OperatingSystem.IsWindows()) return null;
        return PosixSignalRegistration.Create(signal, ctx =>
        {
            ctx.Cancel = true;
            try { if (!child.HasExited) Kill(child.Id, signal == PosixSignal.SIGINT ? 2 : 15); }
            catch (InvalidOperationException) { }
        });
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
