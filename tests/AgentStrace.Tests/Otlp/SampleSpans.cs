using System.Security.Cryptography;
using System.Text;
using AgentStrace.Spans;

namespace AgentStrace.Tests.Otlp;

/// <summary>A small hand-built batch covering every field the encoders write.</summary>
public static class SampleSpans
{
    public const ulong Start = 1_778_145_300_087_214_080;

    public static byte[] Id(string seed, int length) => SHA256.HashData(Encoding.UTF8.GetBytes(seed))[..length];

    public static ResourceSpans Batch(string serviceName = "agent-trace", string seed = "session-1")
    {
        var rs = new ResourceSpans { ScopeName = "agent-trace", ScopeVersion = "0.1.0" };
        rs.Resource.Add(SpanAttribute.Of("service.name", serviceName));
        rs.Resource.Add(SpanAttribute.Of("agent.session_id", seed));
        byte[] trace = Id(seed, 16);
        byte[] rootId = Id("root-" + seed, 8);

        var root = new Span
        {
            TraceId = trace, SpanId = rootId, Name = "agent.session (claude-code)", Kind = SpanKind.Internal,
            StartTimeUnixNano = Start, EndTimeUnixNano = Start + 15_000_000_000, Status = StatusCode.Error,
        };
        root.Attributes.Add(SpanAttribute.Of("agent.tool_calls", 2L));
        root.Attributes.Add(SpanAttribute.Of("agent.cost_usd", 0.125));
        root.Attributes.Add(SpanAttribute.Of("agent.interactive", true));
        root.Attributes.Add(SpanAttribute.Of("gen_ai.response.finish_reasons", new[] { "tool_use", "end_turn" }));
        root.Attributes.Add(SpanAttribute.Of("agent.negative", -5L));
        var prompt = new SpanEvent("gen_ai.user.message", Start + 4_000_000);
        prompt.Attributes.Add(SpanAttribute.Of("gen_ai.prompt", "Fix the failing test in ünïcödé 🚀 " + new string('x', 300)));
        root.Events.Add(prompt);

        var tool = new Span
        {
            TraceId = trace, SpanId = Id(seed + "-tool", 8), ParentSpanId = rootId, Name = "tool/Bash", Kind = SpanKind.Client,
            StartTimeUnixNano = Start + 10_000_000, EndTimeUnixNano = Start + 2_010_000_000, Status = StatusCode.Ok,
        };
        tool.Attributes.Add(SpanAttribute.Of("tool.name", "Bash"));
        tool.Attributes.Add(SpanAttribute.Of("tool.input.command", "dotnet test"));

        var error = new Span
        {
            TraceId = trace, SpanId = Id(seed + "-error", 8), ParentSpanId = rootId, Name = "error/Edit", Kind = SpanKind.Internal,
            StartTimeUnixNano = Start + 3_000_000_000, EndTimeUnixNano = Start + 3_001_000_000, Status = StatusCode.Error,
            StatusMessage = "file not found: src/app.py",
        };
        var exception = new SpanEvent("exception", Start + 3_000_500_000);
        exception.Attributes.Add(SpanAttribute.Of("exception.type", "ToolError"));
        exception.Attributes.Add(SpanAttribute.Of("exception.message", "file not found: src/app.py"));
        exception.Attributes.Add(SpanAttribute.Of("exception.escaped", false));
        error.Events.Add(exception);

        rs.Spans.Add(root);
        rs.Spans.Add(tool);
        rs.Spans.Add(error);
        return rs;
    }
}
