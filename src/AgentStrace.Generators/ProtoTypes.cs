namespace AgentStrace.Generators;

/// <summary>The scalar protobuf types a schema may use, and how each is written, sized and read.</summary>
internal static class ProtoTypes
{
    public static bool IsScalar(string type) => type switch
    {
        "string" or "bytes" or "bool" or "int64" or "uint64" or "uint32" or "enum" or "fixed64" or "fixed32" or "sfixed64"
            or "double" or "packed_fixed64" or "packed_double" => true,
        _ => false,
    };

    /// <summary>The <c>ProtoWireType</c> member a field of this type arrives with.</summary>
    public static string WireType(string type) => type switch
    {
        "bool" or "int64" or "uint64" or "uint32" or "enum" => "Varint",
        "fixed64" or "sfixed64" or "double" => "I64",
        "fixed32" => "I32",
        _ => "Len",
    };

    /// <summary>The <c>ProtoWriter</c> call that writes a tagged field.</summary>
    public static string WriteCall(string type) => type switch
    {
        "string" => "WriteStringField",
        "bytes" => "WriteBytesField",
        "bool" => "WriteBoolField",
        "int64" => "WriteInt64Field",
        "uint64" or "uint32" => "WriteUInt64Field",
        "enum" => "WriteEnumField",
        "fixed64" => "WriteFixed64Field",
        "fixed32" => "WriteFixed32Field",
        "sfixed64" => "WriteSFixed64Field",
        "double" => "WriteDoubleField",
        "packed_fixed64" => "WritePackedFixed64Field",
        "packed_double" => "WritePackedDoubleField",
        _ => "",
    };

    /// <summary>The encoded size of a tagged field of this type holding <paramref name="value"/>.</summary>
    public static string SizeExpression(string type, int tagSize, string constant, string value) => type switch
    {
        "string" => $"global::AgentStrace.Otlp.Protobuf.ProtoWriter.LenFieldSize({constant}, global::System.Text.Encoding.UTF8.GetByteCount({value}))",
        "bytes" => $"global::AgentStrace.Otlp.Protobuf.ProtoWriter.LenFieldSize({constant}, ({value}).Length)",
        "bool" => $"{tagSize + 1}",
        "int64" => $"{tagSize} + global::AgentStrace.Otlp.Protobuf.ProtoWriter.VarintSize((ulong)({value}))",
        "uint64" or "uint32" => $"{tagSize} + global::AgentStrace.Otlp.Protobuf.ProtoWriter.VarintSize({value})",
        "enum" => $"{tagSize} + global::AgentStrace.Otlp.Protobuf.ProtoWriter.VarintSize((ulong)(long)({value}))",
        "fixed64" or "sfixed64" or "double" => $"{tagSize + 8}",
        "fixed32" => $"{tagSize + 4}",
        "packed_fixed64" or "packed_double" => $"(({value}).Length == 0 ? 0 : global::AgentStrace.Otlp.Protobuf.ProtoWriter.LenFieldSize({constant}, ({value}).Length * 8))",
        _ => "0",
    };

    /// <summary>The C# type of a reader local, and its initial value.</summary>
    public static (string Type, string Initial) Local(string type) => type switch
    {
        "string" => ("string", "\"\""),
        "bytes" => ("byte[]", "global::System.Array.Empty<byte>()"),
        "bool" => ("bool", "false"),
        "int64" or "sfixed64" => ("long", "0"),
        "uint64" or "fixed64" => ("ulong", "0"),
        "uint32" or "fixed32" => ("uint", "0"),
        "enum" => ("int", "0"),
        "double" => ("double", "0"),
        _ => ("", ""),
    };

    /// <summary>Reads a value of this type from the reader variable <paramref name="reader"/>.</summary>
    public static string ReadExpression(string type, string reader) => type switch
    {
        "string" => $"global::System.Text.Encoding.UTF8.GetString({reader}.ReadLengthDelimited())",
        "bytes" => $"{reader}.ReadLengthDelimited().ToArray()",
        "bool" => $"{reader}.ReadVarint() != 0",
        "int64" => $"(long){reader}.ReadVarint()",
        "uint64" => $"{reader}.ReadVarint()",
        "uint32" => $"(uint){reader}.ReadVarint()",
        "enum" => $"(int){reader}.ReadVarint()",
        "fixed64" => $"{reader}.ReadFixed64()",
        "sfixed64" => $"(long){reader}.ReadFixed64()",
        "fixed32" => $"{reader}.ReadFixed32()",
        "double" => $"global::System.BitConverter.UInt64BitsToDouble({reader}.ReadFixed64())",
        _ => "",
    };

    /// <summary>The size of a field tag (field number and wire type) as a varint.</summary>
    public static int TagSize(int fieldNumber)
    {
        uint tag = (uint)fieldNumber << 3;
        int size = 1;
        while (tag >= 0x80)
        {
            tag >>= 7;
            size++;
        }
        return size;
    }
}
