using AgentStrace.Model;
using AgentStrace.Spans;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Spans;

internal static class SpanTestHelper
{
    /// <summary>Builds a fixture session's spans; returns (root, children in emission order).</summary>
    public static (Span Root, List<Span> Children) Build(string session, SpanOptions options)
    {
        var store = new TraceStore(Repo.SampleStore);
        SessionInfo info = store.Find(session);
        var builder = new SessionSpanBuilder(options, info.Meta, TraceIds.TraceId(info.Id));
        var spans = new List<Span>();
        foreach (TraceEvent e in EventReader.ReadFile(info.EventsPath)) builder.Add(e, spans.Add);
        builder.Finish(spans.Add);
        return (spans[^1], spans[..^1]);
    }

    public static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    public static AttributeValue? Attr(List<SpanAttribute> attributes, string key)
    {
        foreach (SpanAttribute a in attributes)
        {
            if (a.Key == key) return a.Value;
        }
        return null;
    }
}
