using Google.Protobuf;

namespace AgentStrace.Testing;

/// <summary>
/// A protobuf message decoded at wire level with Google.Protobuf's <see cref="CodedInputStream"/> (no generated
/// classes): field number → values (varint and fixed values as ulong, length-delimited as bytes).
/// </summary>
public sealed class WireMessage
{
    private readonly Dictionary<int, List<object>> _fields = [];

    public static WireMessage Parse(byte[] bytes)
    {
        var message = new WireMessage();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.Fixed32 => (ulong)input.ReadFixed32(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes().ToByteArray(),
                _ => throw new InvalidDataException($"unexpected wire type in tag {tag}"),
            };
            if (!message._fields.TryGetValue(field, out List<object>? list)) message._fields[field] = list = [];
            list.Add(value);
        }
        return message;
    }

    public bool Has(int field) => _fields.ContainsKey(field);

    public IEnumerable<WireMessage> Messages(int field) => Values(field).Select(v => Parse((byte[])v));

    public WireMessage Message(int field) => Messages(field).Single();

    public string String(int field) => System.Text.Encoding.UTF8.GetString((byte[])Values(field).Single());

    public ulong UInt64(int field) => (ulong)Values(field).Single();

    public double Double(int field) => BitConverter.UInt64BitsToDouble((ulong)Values(field).Single());

    /// <summary>A packed repeated fixed64/double field.</summary>
    public ulong[] PackedFixed64(int field)
    {
        byte[] b = (byte[])Values(field).Single();
        return Enumerable.Range(0, b.Length / 8).Select(i => BitConverter.ToUInt64(b, i * 8)).ToArray();
    }

    /// <summary>KeyValue list (field <paramref name="field"/>) with string values as text, doubles/ints formatted.</summary>
    public Dictionary<string, string> Attributes(int field) => Messages(field).ToDictionary(
        kv => kv.String(1),
        kv =>
        {
            WireMessage any = kv.Message(2);
            if (any.Has(1)) return any.String(1);
            if (any.Has(3)) return ((long)any.UInt64(3)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (any.Has(4)) return any.Double(4).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return "";
        });

    private List<object> Values(int field) => _fields.TryGetValue(field, out List<object>? v) ? v : [];
}
