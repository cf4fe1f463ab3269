using System.Text.Json;
using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Capture;

public sealed class RecordCliTests
{
    private static string Server => Path.Combine(Repo.Fixtures, "capture", "mcp_server.py");

    private const string ClientInput =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n" +
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n" +
        "{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"tools/call\", \"params\": {\"name\": \"get_weather\", \"arguments\": {\"location\": \"New York \u00e9\", \"api_key\": \"hunter2\", \"note\": \"Bearer abcdefghijklmnop\"}}}\r\n" +
        "{\"jsonrpc\":\"2.0\",\"id\":\"four\",\"method\":\"tools/call\",\"params\":{\"name\":\"book_flight\",\"arguments\":{\"date\":\"2020-01-01\"}}}\n" +
        "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"invalid_tool_name\",\"arguments\":{}}}\n" +
        "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/read\",\"params\":{\"uri\":\"file:///etc/hosts\"}}\n";

    [Test]
    public async Task Record_ProxiesBytesUnchanged_RecordsEvents_PassesExitCode()
    {
        using var t = new TempDir();
        string rawDirect = Path.Combine(t.Path, "direct.raw"), rawProxied = Path.Combine(t.Path, "proxied.raw");
        // The same server without the proxy gives the reference bytes.
        var direct = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3") { ArgumentList = { Server, "7" }, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["MCP_RAW_LOG"] = rawDirect } })!;
        await direct.StandardInput.WriteAsync(ClientInput);
        direct.StandardInput.Close();
        string expected = await direct.StandardOutput.ReadToEndAsync();
        await direct.WaitForExitAsync();

        var env = new Dictionary<string, string?> { ["MCP_RAW_LOG"] = rawProxied };
        CliResult r = await AgentStraceCli.RunAsync(["record", "--name", "weather", "--", "python3", Server, "7"], t.Path, env, ClientInput);
        await Assert.That(r.ExitCode).IsEqualTo(7);
        await Assert.That(r.Stdout).IsEqualTo(expected);
        await Assert.That(File.ReadAllBytes(rawProxied)).IsEquivalentTo(File.ReadAllBytes(rawDirect), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(r.Stderr).Contains("server log: got tools/call");

        string dir = Directory.GetDirectories(t.Store).Single();
        var events = StoreFiles.Events(dir);
        // Requests and responses interleave with timing; assert the set, the pairing and the ends.
        string[] types = events.Select(e => e.Type()).Order(StringComparer.Ordinal).ToArray();
        await Assert.That(types).IsEquivalentTo(new[] { "error", "error", "file_read", "file_write", "session_end", "session_start", "tool_call", "tool_call", "tool_call", "tool_result" },
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(events[0].Type()).IsEqualTo("session_start");
        await Assert.That(events[^1].Type()).IsEqualTo("session_end");
        JsonElement call = events.First(e => e.Type() == "tool_call");
        await Assert.That(call.Data().GetProperty("arguments").GetProperty("api_key").GetString()).IsEqualTo("[REDACTED:sensitive]");
        await Assert.That(call.Data().GetProperty("arguments").GetProperty("note").GetString()).IsEqualTo("[REDACTED:bearer-token]");
        await Assert.That(call.Data().GetProperty("request_id").GetInt32()).IsEqualTo(3);
        await Assert.That(events.Single(e => e.Type() == "tool_result").Str("parent_id")).IsEqualTo(call.Str("event_id"));
        JsonElement toolError = events.Single(e => e.Type() == "error" && e.Data().TryGetProperty("is_error", out _));
        await Assert.That(toolError.Data().Str("request_id")).IsEqualTo("four");
        await Assert.That(toolError.Data().Str("tool_name")).IsEqualTo("book_flight");
        JsonElement rpcError = events.Single(e => e.Type() == "error" && e.Data().TryGetProperty("code", out _));
        await Assert.That(rpcError.Data().GetProperty("code").GetInt32()).IsEqualTo(-32602);
        await Assert.That(events[^1].Data().GetProperty("exit_code").GetInt32()).IsEqualTo(7);
        var meta = StoreFiles.Meta(dir);
        await Assert.That(meta.Str("agent_name")).IsEqualTo("weather");
        await Assert.That(meta.GetProperty("tool_calls").GetInt64()).IsEqualTo(3);
        await Assert.That(meta.GetProperty("errors").GetInt64()).IsEqualTo(2);
        await Assert.That(File.ReadAllText(Path.Combine(dir, "events.ndjson"))).DoesNotContain("hunter2");
        await Assert.That(StoreFiles.ChainIntact(dir)).IsTrue();
    }

    [Test]
    public async Task Record_ChildArgsAfterDoubleDash_ReachTheChildUntouched()
    {
        using var t = new TempDir();
        CliResult r = await AgentStraceCli.RunAsync(["record", "-q", "--", "sh", "-c", "echo \"$@\"", "x", "--header", "h", "--trace-dir", "d"], t.Path, stdin: "");
        await Assert.That(r.ExitCode).IsEqualTo(0);
        await Assert.That(r.Stdout).IsEqualTo("--header h --trace-dir d\n");
    }

    [Test]
    public async Task Record_MissingCommand_ExitsTwo()
    {
        using var t = new TempDir();
        CliResult r = await AgentStraceCli.RunAsync(["record", "--", "/nonexistent/server"], t.Path, stdin: "");
        await Assert.That(r.ExitCode).IsEqualTo(2);
        await Assert.That(r.Stderr).Contains("Could not start");
    }
}
