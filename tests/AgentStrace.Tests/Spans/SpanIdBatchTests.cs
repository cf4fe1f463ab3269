using System.Security.Cryptography;
using System.Text;
using AgentStrace.Model;
using AgentStrace.Spans;

namespace AgentStrace.Tests.Spans;

public sealed class SpanIdBatchTests
{
    [Test]
    public async Task FourLaneHash_EqualsThePlatformSha256_ForEveryLength()
    {
        var random = new Random(7);
        for (int length = 0; length <= Sha256x4.MaxMessage; length++)
        {
            byte[][] messages = new byte[4][];
            for (int j = 0; j < 4; j++)
            {
                messages[j] = new byte[(length + j * 13) % (Sha256x4.MaxMessage + 1)];
                random.NextBytes(messages[j]);
            }
            byte[] prefixes = new byte[32];
            Sha256x4.HashPrefix8(messages[0], messages[1], messages[2], messages[3], prefixes);
            for (int j = 0; j < 4; j++)
            {
                await Assert.That(Convert.ToHexString(prefixes, j * 8, 8)).IsEqualTo(Convert.ToHexString(SHA256.HashData(messages[j]), 0, 8));
            }
        }
    }

    [Test]
    public async Task Precompute_GivesTheScalarSpanIds_ToCallsAndRequestsOnly()
    {
        var events = new List<TraceEvent>();
        string[] ids = ["a1b2c3d4e5f6", "0750062cfb5e", new string('x', 60), "r", "", "tool-7", "\u00e9v\u00e9nement", "z", "q", new string('\u00e9', 30)];
        for (int i = 0; i < ids.Length; i++)
        {
            EventType type = i % 4 == 3 ? EventType.ToolResult : i % 2 == 0 ? EventType.ToolCall : EventType.LlmRequest;
            events.Add(new TraceEvent { Type = type, Timestamp = i, EventId = ids[i] });
        }
        TraceIds.PrecomputeSpanIds(events);
        foreach (TraceEvent e in events)
        {
            if (e.Type == EventType.ToolResult)
            {
                await Assert.That(e.SpanIdHint).IsNull();
                continue;
            }
            if (Encoding.UTF8.GetByteCount(e.EventId) > Sha256x4.MaxMessage && e.SpanIdHint is null) continue;
            await Assert.That(Convert.ToHexString(e.SpanIdHint!)).IsEqualTo(Convert.ToHexString(TraceIds.SpanId(e.EventId)));
            await Assert.That(Convert.ToHexString(TraceIds.SpanId(e.EventId))).IsEqualTo(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(e.EventId)), 0, 8));
        }
    }
}
