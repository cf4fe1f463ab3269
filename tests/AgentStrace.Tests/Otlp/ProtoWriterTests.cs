using AgentStrace.Otlp.Protobuf;
using Google.Protobuf;

namespace AgentStrace.Tests.Otlp;

public sealed class ProtoWriterTests
{
    [Test]
    [Arguments(0UL, 1)]
    [Arguments(1UL, 1)]
    [Arguments(127UL, 1)]
    [Arguments(128UL, 2)]
    [Arguments(16383UL, 2)]
    [Arguments(16384UL, 3)]
    [Arguments(268435455UL, 4)]
    [Arguments(268435456UL, 5)]
    [Arguments(ulong.MaxValue, 10)]
    public async Task WriteVarint64_Boundaries_DecodeWithGoogleProtobuf(ulong value, int expectedSize)
    {
        using var writer = new ProtoWriter(16);
        writer.WriteUInt64Field(1, value);
        var input = new CodedInputStream(writer.WrittenSpan.ToArray());
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(1, WireFormat.WireType.Varint));
        await Assert.That(input.ReadUInt64()).IsEqualTo(value);
        await Assert.That(writer.Length).IsEqualTo(1 + expectedSize);
        await Assert.That(ProtoWriter.VarintSize(value)).IsEqualTo(expectedSize);
    }

    [Test]
    [Arguments(0)]
    [Arguments(127)]
    [Arguments(128)]
    [Arguments(16383)]
    [Arguments(16384)]
    public async Task SmallAndReservedMessages_AtLengthBoundaries_DecodeExactly(int contentLength)
    {
        byte[] content = new byte[contentLength];
        for (int i = 0; i < content.Length; i++) content[i] = (byte)i;
        using var writer = new ProtoWriter(16);
        int small = writer.BeginSmallMessage(3);
        writer.WriteRaw(content);
        writer.EndSmallMessage(small);
        int reserved = writer.BeginMessage(4);
        writer.WriteRaw(content);
        writer.EndMessage(reserved);
        writer.WriteBoolField(5, true);

        var input = new CodedInputStream(writer.WrittenSpan.ToArray());
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(3, WireFormat.WireType.LengthDelimited));
        await Assert.That(input.ReadBytes().ToByteArray()).IsEquivalentTo(content, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(4, WireFormat.WireType.LengthDelimited));
        await Assert.That(input.ReadBytes().ToByteArray()).IsEquivalentTo(content, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(5, WireFormat.WireType.Varint));
        await Assert.That(input.ReadBool()).IsTrue();
    }

    [Test]
    public async Task Write_FromTinyBuffer_GrowsAndMatchesLargeBuffer()
    {
        var batch = new[] { SampleSpans.Batch(), SampleSpans.Batch("other", "session-2") };
        using var tiny = new ProtoWriter(16);
        using var large = new ProtoWriter(1 << 20);
        int initial = tiny.Capacity;
        TraceRequestWriter.Write(tiny, batch);
        TraceRequestWriter.Write(large, batch);
        await Assert.That(initial).IsLessThan(64);
        await Assert.That(tiny.Capacity).IsGreaterThan(initial);
        await Assert.That(tiny.WrittenSpan.ToArray()).IsEquivalentTo(large.WrittenSpan.ToArray(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Reset_ReusesBuffer_ForNextPayload()
    {
        using var writer = new ProtoWriter(16);
        TraceRequestWriter.Write(writer, [SampleSpans.Batch()]);
        byte[] first = writer.WrittenSpan.ToArray();
        writer.Reset();
        await Assert.That(writer.Length).IsEqualTo(0);
        TraceRequestWriter.Write(writer, [SampleSpans.Batch()]);
        await Assert.That(writer.WrittenSpan.ToArray()).IsEquivalentTo(first, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task WriteStringField_LongAndMultiByte_RoundTrips()
    {
        string[] values = ["", "a", new string('é', 42), new string('é', 43), "🚀" + new string('z', 20000), "lone \ud800 surrogate"];
        using var writer = new ProtoWriter(16);
        foreach (string v in values) writer.WriteStringField(2, v);
        var input = new CodedInputStream(writer.WrittenSpan.ToArray());
        foreach (string v in values)
        {
            await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(2, WireFormat.WireType.LengthDelimited));
            await Assert.That(input.ReadString()).IsEqualTo(v.Replace("\ud800", "\ufffd", StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task FixedAndDoubleFields_AreLittleEndianI64AndI32()
    {
        using var writer = new ProtoWriter(16);
        writer.WriteFixed64Field(7, 0x0102030405060708UL);
        writer.WriteDoubleField(4, 0.125);
        writer.WriteFixed32Field(16, 0x01000000u);
        writer.WriteSFixed64Field(6, -2);
        writer.WritePackedDoubleField(7, [1.5, 2.5]);
        writer.WritePackedFixed64Field(6, [3UL, 4UL]);
        var input = new CodedInputStream(writer.WrittenSpan.ToArray());
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(7, WireFormat.WireType.Fixed64));
        await Assert.That(input.ReadFixed64()).IsEqualTo(0x0102030405060708UL);
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(4, WireFormat.WireType.Fixed64));
        await Assert.That(input.ReadDouble()).IsEqualTo(0.125);
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(16, WireFormat.WireType.Fixed32));
        await Assert.That(input.ReadFixed32()).IsEqualTo(0x01000000u);
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(6, WireFormat.WireType.Fixed64));
        await Assert.That(input.ReadSFixed64()).IsEqualTo(-2L);
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(7, WireFormat.WireType.LengthDelimited));
        var doubles = new CodedInputStream(input.ReadBytes().ToByteArray());
        await Assert.That(doubles.ReadDouble()).IsEqualTo(1.5);
        await Assert.That(doubles.ReadDouble()).IsEqualTo(2.5);
        await Assert.That(input.ReadTag()).IsEqualTo(WireFormat.MakeTag(6, WireFormat.WireType.LengthDelimited));
        var fixeds = new CodedInputStream(input.ReadBytes().ToByteArray());
        await Assert.That(fixeds.ReadFixed64()).IsEqualTo(3UL);
        await Assert.That(fixeds.ReadFixed64()).IsEqualTo(4UL);
    }
}
