namespace AgentStrace.Spans;

public enum AttributeKind : byte { String, Bool, Int, Double, StringArray }

/// <summary>An OTLP <c>AnyValue</c> restricted to what agent-strace emits.</summary>
public readonly struct AttributeValue
{
    private AttributeValue(AttributeKind kind, string? s, long i, double d, string[]? array)
    {
        Kind = kind;
        String = s ?? "";
        Int = i;
        Double = d;
        Array = array ?? [];
    }

    public AttributeKind Kind { get; }
    public string String { get; }
    public long Int { get; }
    public double Double { get; }
    public bool Bool => Int != 0;
    public string[] Array { get; }

    public static AttributeValue Of(string s) => new(AttributeKind.String, s, 0, 0, null);
    public static AttributeValue Of(long i) => new(AttributeKind.Int, null, i, 0, null);
    public static AttributeValue Of(double d) => new(AttributeKind.Double, null, 0, d, null);
    public static AttributeValue Of(bool b) => new(AttributeKind.Bool, null, b ? 1 : 0, 0, null);
    public static AttributeValue Of(string[] values) => new(AttributeKind.StringArray, null, 0, 0, values);

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
