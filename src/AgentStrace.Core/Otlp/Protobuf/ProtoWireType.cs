namespace AgentStrace.Otlp.Protobuf;

/// <summary>Protobuf wire types (the low 3 bits of a tag).</summary>
public enum ProtoWireType
{
    /// <summary>int32, int64, uint32, uint64, bool, enum.</summary>
    Varint = 0,
    /// <summary>fixed64, sfixed64, double.</summary>
    I64 = 1,
    /// <summary>string, bytes, embedded messages, packed repeated fields.</summary>
    Len = 2,
    /// <summary>fixed32, sfixed32, float.</summary>
    I32 = 5,
}
