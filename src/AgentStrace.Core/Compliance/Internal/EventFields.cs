using System.Buffers;

namespace AgentStrace.Compliance.Internal;

/// <summary>
/// The scalar members of one package event that <c>verify --from-export</c> checks, kept as their JSON text in one
/// array per event (not a dictionary of strings): the reader thread copies the bytes, the checking thread reads them.
/// </summary>
internal sealed class EventFields
{
    public const int Seq = 0, Timestamp = 1, EventType = 2, EventId = 3, ToolName = 4, InputSummary = 5, OutputSummary = 6,
        DurationMs = 7, CostUsd = 8, PrevHash = 9, LineHash = 10, LineNumber = 11, Count = 12;

    /// <summary>The member names, by slot.</summary>
    public static readonly string[] Names =
        ["seq", "timestamp", "event_type", "event_id", "tool_name", "input_summary", "output_summary", "duration_ms", "cost_usd", "prev_hash", "line_hash", "line_number"];

    /// <summary>What an object or array member is recorded as (never equal to a scalar the exporter writes).</summary>
    public static ReadOnlySpan<byte> Structured => "<structured>"u8;

    private readonly byte[] _text;
    // Start and length per slot; a length of -1 is a missing member.
    private readonly int[] _bounds;

    private EventFields(byte[] text, int[] bounds)
    {
        _text = text;
        _bounds = bounds;
    }

    /// <summary>The slot of a member name, or -1 for a member that is not checked here.</summary>
    public static int SlotOf(string name) => name switch
    {
        "seq" => Seq,
        "timestamp" => Timestamp,
        "event_type" => EventType,
        "event_id" => EventId,
        "tool_name" => ToolName,
        "input_summary" => InputSummary,
        "output_summary" => OutputSummary,
        "duration_ms" => DurationMs,
        "cost_usd" => CostUsd,
        "prev_hash" => PrevHash,
        "line_hash" => LineHash,
        "line_number" => LineNumber,
        _ => -1,
    };

    public bool Has(int slot) => _bounds[2 * slot + 1] >= 0;

    /// <summary>The member's JSON text (a string with its quotes), empty when missing.</summary>
    public ReadOnlySpan<byte> this[int slot] => Has(slot) ? _text.AsSpan(_bounds[2 * slot], _bounds[2 * slot + 1]) : default;

    public string Text(int slot) => System.Text.Encoding.UTF8.GetString(this[slot]);

    /// <summary>Gathers one event's members (on the reader thread; reused for every event).</summary>
    internal sealed class Builder
    {
        private readonly ArrayBufferWriter<byte> _text = new(1024);
        private readonly int[] _bounds = new int[2 * Count];

        public void Clear()
        {
            _text.ResetWrittenCount();
            Array.Fill(_bounds, -1);
        }

        /// <summary>Sets a slot (the last one wins, as with a repeated member).</summary>
        public void Set(int slot, ReadOnlySpan<byte> json)
        {
            _bounds[2 * slot] = _text.WrittenCount;
            _bounds[2 * slot + 1] = json.Length;
            _text.Write(json);
        }

        public EventFields Build() => new(_text.WrittenSpan.ToArray(), (int[])_bounds.Clone());
    }
}
