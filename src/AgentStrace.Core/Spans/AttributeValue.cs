using System.Runtime.CompilerServices;
using System.Text;

namespace AgentStrace.Spans;

public enum AttributeKind : byte { String, Bool, Int, Double, StringArray }

/// <summary>An OTLP <c>AnyValue</c> restricted to what agent-strace emits.</summary>
/// <remarks>
/// A string value is either a .NET string or a slice of valid UTF-8 (usually straight out of a stored event's
/// bytes): the export hot path hands tool inputs and outputs to the encoders without a UTF-16 round trip.
/// Numbers share one 64-bit slot; the reference slot holds the string, array or byte buffer.
/// </remarks>
public readonly struct AttributeValue
{
    private readonly object? _ref;
    private readonly long _bits;
    // Says what _ref holds, so reads need no type checks (hot in the encoders).
    private readonly bool _utf8;

    private AttributeValue(AttributeKind kind, object? reference, long bits, bool utf8 = false)
    {
        Kind = kind;
        _ref = reference;
        _bits = bits;
        _utf8 = utf8;
    }

    public AttributeKind Kind { get; }

    /// <summary>The string value (decoded on each call when the value is held as UTF-8).</summary>
    public string String =>
        _utf8 ? Encoding.UTF8.GetString(Unsafe.As<byte[]>(_ref!), Utf8Start, Utf8Length)
        : Kind == AttributeKind.String ? Unsafe.As<string>(_ref) ?? "" : "";

    public long Int => Kind == AttributeKind.Double ? 0 : _bits;
    public double Double => Kind == AttributeKind.Double ? BitConverter.Int64BitsToDouble(_bits) : 0;
    public bool Bool => Kind == AttributeKind.Bool && _bits != 0;
    public string[] Array => Kind == AttributeKind.StringArray ? Unsafe.As<string[]>(_ref) ?? [] : [];

    /// <summary>The value's UTF-8 bytes when it is held as UTF-8 (not as a .NET string).</summary>
    public bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        if (_utf8)
        {
            utf8 = Unsafe.As<byte[]>(_ref!).AsSpan(Utf8Start, Utf8Length);
            return true;
        }
        utf8 = default;
        return false;
    }

    /// <summary>Length in UTF-16 units or UTF-8 bytes, whichever the value is held as (for size estimates).</summary>
    public int StoredLength => _utf8 ? Utf8Length : Kind == AttributeKind.String ? Unsafe.As<string>(_ref)?.Length ?? 0 : 0;

    private int Utf8Start => (int)(_bits >> 32);
    private int Utf8Length => (int)_bits;

    public static AttributeValue Of(string s) => new(AttributeKind.String, s ?? "", 0);
    public static AttributeValue Of(long i) => new(AttributeKind.Int, null, i);
    public static AttributeValue Of(double d) => new(AttributeKind.Double, null, BitConverter.DoubleToInt64Bits(d));
    public static AttributeValue Of(bool b) => new(AttributeKind.Bool, null, b ? 1 : 0);
    public static AttributeValue Of(string[] values) => new(AttributeKind.StringArray, values ?? [], 0);

    /// <summary>A string held as UTF-8; the caller guarantees <paramref name="utf8"/> is valid UTF-8 and not mutated later.</summary>
    public static AttributeValue OfUtf8(ArraySegment<byte> utf8) =>
        new(AttributeKind.String, utf8.Array ?? [], ((long)utf8.Offset << 32) | (uint)utf8.Count, utf8: true);

    public override string ToString() => Kind switch
    {
        AttributeKind.String => String,
        AttributeKind.Bool => Bool ? "true" : "false",
        AttributeKind.Int => Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AttributeKind.Double => Double.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => "[" + string.Join(", ", Array) + "]",
    };
}

/// <summary>An OTLP <c>KeyValue</c>.</summary>
public readonly record struct SpanAttribute(string Key, AttributeValue Value)
{
    public static SpanAttribute Of(string key, string value) => new(key, AttributeValue.Of(value));
    public static SpanAttribute Of(string key, long value) => new(key, AttributeValue.Of(value));
    public static SpanAttribute Of(string key, double value) => new(key, AttributeValue.Of(value));
    public static SpanAttribute Of(string key, bool value) => new(key, AttributeValue.Of(value));
    public static SpanAttribute Of(string key, string[] value) => new(key, AttributeValue.Of(value));
}
