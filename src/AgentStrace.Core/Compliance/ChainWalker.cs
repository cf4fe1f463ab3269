using AgentStrace.Compliance.Internal;
using AgentStrace.Model;

namespace AgentStrace.Compliance;

/// <summary>
/// The rules of upstream's <c>verify_chain</c> applied one line at a time: blank lines are ignored,
/// lines that are not JSON objects are skipped without becoming the previous line, a line without
/// <c>prev_hash</c> is legacy, any other line's <c>prev_hash</c> must be the SHA-256 of the previous line.
/// </summary>
public sealed class ChainWalker
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    private readonly byte[] _prevHash = new byte[32];
    private readonly byte[] _lastHash = new byte[32];
    private bool _havePrev, _anyLinked;
    private int _index = -1, _unlinked, _unparsable, _parsed;
    private int? _brokenAt;
    private string _brokenId = "", _reason = "";
    private long _brokenLine, _tornTail;
    private readonly List<long> _unparsableLines = [];

    /// <summary>Feeds one stored line (without its newline); <paramref name="terminated"/> is false for a last line
    /// that has no newline.</summary>
    /// <param name="knownHash">The SHA-256 of <paramref name="rawLine"/> when the caller has it already (computed on
    /// another core); used only when the line needs no normalising.</param>
    public void Add(ReadOnlySpan<byte> rawLine, long lineNumber, bool terminated = true, byte[]? knownHash = null)
    {
        ReadOnlySpan<byte> line = LineFields.Normalize(rawLine);
        if (LineFields.IsBlank(line)) return;
        _index++;
        if (knownHash is { Length: 32 } && line.Length == rawLine.Length) knownHash.CopyTo(_lastHash, 0);
        else Sha256.PlatformHash(line, _lastHash);
        Span<byte> expected = stackalloc byte[64];
        int expectedLength = 0;
        if (_havePrev)
        {
            for (int i = 0; i < 32; i++)
            {
                expected[2 * i] = Hex[_prevHash[i] >> 4];
                expected[2 * i + 1] = Hex[_prevHash[i] & 15];
            }
            expectedLength = 64;
        }
        bool parsed = LineFields.ReadLink(line, expected[..expectedLength], out bool hasPrev, out bool matches);
        Link(line, lineNumber, terminated, parsed, hasPrev, matches);
    }

    /// <summary>A line's hash and link, read ahead on any thread (the line's JSON is parsed there, not in the walk).</summary>
    /// <remarks>A class: a list of them shares the runtime's code for lists of references (no new code in the binary).</remarks>
    internal sealed class Prepared
    {
        public ReadOnlyMemory<byte> Line { get; init; }
        public long LineNumber { get; init; }
        public bool Terminated { get; init; } = true;
        public bool Blank { get; init; }
        public bool Parsed { get; init; }
        public bool HasPrev { get; init; }
        public ReadOnlyMemory<byte> PrevText { get; init; }
        public byte[]? Hash { get; init; }
    }

    private static readonly Prepared s_blank = new() { Blank = true };

    /// <summary>What <see cref="Add(ReadOnlySpan{byte}, long, bool, byte[])"/> reads from a line, without the order it
    /// depends on; the arguments as there.</summary>
    internal static Prepared Prepare(ReadOnlyMemory<byte> rawLine, long lineNumber, bool terminated = true, byte[]? knownHash = null)
    {
        ReadOnlyMemory<byte> line = LineFields.Normalize(rawLine);
        if (LineFields.IsBlank(line.Span)) return s_blank;
        byte[] hash = knownHash is { Length: 32 } && line.Length == rawLine.Length ? knownHash : new byte[32];
        if (!ReferenceEquals(hash, knownHash)) Sha256.PlatformHash(line.Span, hash);
        bool parsed = LineFields.ReadPrev(line, out bool hasPrev, out ReadOnlyMemory<byte> prev);
        return new Prepared
        {
            Line = line, LineNumber = lineNumber, Terminated = terminated, Parsed = parsed, HasPrev = hasPrev, PrevText = prev, Hash = hash,
        };
    }

    /// <summary>Feeds one line read ahead by <see cref="Prepare"/>, in file order.</summary>
    internal void Add(Prepared p)
    {
        if (p.Blank) return;
        _index++;
        p.Hash!.CopyTo(_lastHash, 0);
        bool matches = false;
        if (_havePrev && p.PrevText.Length == 64)
        {
            Span<byte> expected = stackalloc byte[64];
            for (int i = 0; i < 32; i++)
            {
                expected[2 * i] = Hex[_prevHash[i] >> 4];
                expected[2 * i + 1] = Hex[_prevHash[i] & 15];
            }
            matches = p.PrevText.Span.SequenceEqual(expected);
        }
        Link(p.Line.Span, p.LineNumber, p.Terminated, p.Parsed, p.HasPrev, matches);
    }

    private void Link(ReadOnlySpan<byte> line, long lineNumber, bool terminated, bool parsed, bool hasPrev, bool matches)
    {
        if (!parsed)
        {
            _unparsable++;
            if (_unparsableLines.Count < 20) _unparsableLines.Add(lineNumber);
            // A last line that is neither newline-terminated nor an object: a writer was killed mid-append (the next
            // append starts a new line, so the damage stays on this line).
            if (!terminated) _tornTail = lineNumber;
            return;
        }
        _parsed++;
        if (hasPrev)
        {
            _anyLinked = true;
            if (_brokenAt is null && !matches)
            {
                _brokenAt = _index;
                _brokenId = LineFields.Read(line).EventId;
                _brokenLine = lineNumber;
                _reason = _havePrev
                    ? "prev_hash does not match the SHA-256 of the previous line (a line was changed, removed, inserted or reordered)"
                    : "the first event carries a prev_hash (the lines before it were removed)";
            }
        }
        else if (_parsed > 1)
        {
            _unlinked++;
        }
        _lastHash.CopyTo(_prevHash, 0);
        _havePrev = true;
    }

    public ChainResult Result(string sessionId)
    {
        int total = _index + 1;
        ChainStatus status = _brokenAt is not null ? ChainStatus.Broken
            : total == 0 ? ChainStatus.Empty
            : _unlinked == 0 && (_anyLinked || _parsed <= 1) ? ChainStatus.Intact
            : _anyLinked ? ChainStatus.Partial
            : ChainStatus.Legacy;
        return new ChainResult
        {
            SessionId = sessionId, Ok = _brokenAt is null, TotalEvents = _parsed, TornTailLine = _tornTail, UnparsableLineNumbers = _unparsableLines, BrokenAt = _brokenAt, BrokenEventId = _brokenId,
            BrokenLine = _brokenLine, Status = status, UnlinkedEvents = _unlinked, UnparsableLines = _unparsable,
            RootHash = total > 0 ? Convert.ToHexStringLower(_lastHash) : "", Reason = _reason,
        };
    }
}
