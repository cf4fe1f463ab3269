using System.Text;
using System.Text.Json;
using AgentStrace.Compliance.Internal;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Json;

namespace AgentStrace.Compliance;

/// <summary>
/// <c>verify --from-export</c>: reads a package as a stream and (1) runs upstream's check (each event's prev_hash
/// equals the previous event's line_hash), (2) recomputes every line hash, field, summary, cost and the chain from
/// the embedded raw lines, and (3) recomputes the manifest hash over the file's bytes. Any difference is named by
/// session, seq, event id and field.
/// </summary>
public sealed partial class PackageVerifier
{
    private readonly PackageTokenStream _t;
    private readonly PackageVerifyResult _r = new();
    private readonly List<string> _sessionIds = [], _article12Ids = [], _article13Ids = [];
    private readonly List<string> _digests12 = [], _digests13 = [], _sessionDigests12 = [], _sessionDigests13 = [];
    private long? _declaredSessions;
    private bool _manifestSeen, _sawArticle12, _sawArticle13, _sawSessions;

    private PackageVerifier(Stream stream) => _t = new PackageTokenStream(stream);

    public static PackageVerifyResult Verify(string path)
    {
        FileStream file;
        try
        {
            file = SafeFile.OpenNamedInput(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStraceException($"Cannot read export file {path}: {ex.Message}");
        }
        using (file) return Verify(file);
    }

    public static PackageVerifyResult Verify(Stream stream)
    {
        var v = new PackageVerifier(stream);
        try
        {
            v.WalkRoot();
        }
        catch (JsonException ex)
        {
            v.Problem("", null, "", "package", $"not valid JSON near byte {v._t.TokenEnd}: the file was truncated or edited ({FirstSentence(ex.Message)})");
        }
        finally
        {
            v._t.Dispose();
        }
        v.Finish();
        return v._r;
    }

    private void WalkRoot()
    {
        if (!_t.Read() || _t.TokenType != JsonTokenType.StartObject)
        {
            Problem("", null, "", "package", "not a JSON object (empty file or not an EU AI Act package)");
            return;
        }
        while (_t.Read() && _t.TokenType == JsonTokenType.PropertyName)
        {
            string name = Name();
            if (_manifestSeen) Problem("", null, "", name, "appears after integrity_manifest, where the manifest does not cover it");
            _t.Read();
            switch (name)
            {
                case "compliance_metadata": ReadMetadata(); break;
                case "article_12": _sawArticle12 = true; ReadSection("logging_obligations", _article12Ids, _digests12); break;
                case "article_13": _sawArticle13 = true; ReadSection("transparency_documentation", _article13Ids, _digests13); break;
                case "sessions": _sawSessions = true; ReadSessions(); break;
                case EuAiActPackage.ManifestKey: _manifestSeen = true; ReadManifest(); break;
                default: _t.SkipValue(); break;
            }
        }
        // Trailing bytes after the root object make the next read throw (reported as invalid JSON).
        while (_t.Read()) { }
    }

    private void ReadMetadata()
    {
        ForEachMember(name =>
        {
            if (name == "session_count" && _t.TokenType == JsonTokenType.Number && long.TryParse(_t.ValueSpan, out long n)) _declaredSessions = n;
            else _t.SkipValue();
        });
    }

    private void ReadSection(string listName, List<string> ids, List<string> digests)
    {
        ForEachMember(name =>
        {
            if (name != listName || _t.TokenType != JsonTokenType.StartArray) { _t.SkipValue(); return; }
            ForEachElement(() =>
            {
                string id = "";
                StartDigest();
                ForEachMember(member =>
                {
                    if (member == "session_id" && _t.TokenType == JsonTokenType.String) id = Str();
                    else _t.SkipValue();
                });
                ids.Add(id);
                digests.Add(EndDigest());
            });
        });
    }

    private void ReadSessions()
    {
        ForEachElement(() =>
        {
            string id = "";
            _r.CheckedSessions++;
            ForEachMember(name =>
            {
                if (name == "session_id" && _t.TokenType == JsonTokenType.String) id = Str();
                else if (name == "article_12" && _t.TokenType == JsonTokenType.StartObject)
                {
                    StartDigest();
                    ReadArticle12(id);
                    _sessionDigests12.Add(EndDigest());
                }
                else if (name == "article_13" && _t.TokenType == JsonTokenType.StartObject)
                {
                    StartDigest();
                    _t.SkipValue();
                    _sessionDigests13.Add(EndDigest());
                }
                else _t.SkipValue();
            });
            _sessionIds.Add(id);
        });
    }

    private void ReadManifest()
    {
        string algorithm = "";
        ForEachMember(name =>
        {
            if (name == "algorithm" && _t.TokenType == JsonTokenType.String) algorithm = Str();
            else if (name == "package_sha256" && _t.TokenType == JsonTokenType.String) _r.ManifestRecorded = Str();
            else _t.SkipValue();
        });
        _r.ManifestComputed = _t.ManifestHash ?? "";
        if (algorithm != "sha256") Problem("", null, "", "integrity_manifest.algorithm", $"is '{algorithm}', expected 'sha256'");
    }

    private void Finish()
    {
        if (!_manifestSeen)
        {
            Problem("", null, "", EuAiActPackage.ManifestKey,
                "is missing: the package cannot be checked for edits (an upstream package, a truncated file, or the manifest was removed)");
        }
        else if (_r.ManifestRecorded != _r.ManifestComputed)
        {
            Problem("", null, "", "integrity_manifest.package_sha256",
                $"is {_r.ManifestRecorded} but the file hashes to {_r.ManifestComputed}: bytes before the manifest were changed, removed, reordered or inserted");
        }
        else
        {
            _r.ManifestOk = true;
        }
        if (!_sawSessions) Problem("", null, "", "sessions", "is missing");
        if (_declaredSessions is long declared && declared != _sessionIds.Count)
        {
            Problem("", null, "", "compliance_metadata.session_count", $"says {declared} but the package holds {_sessionIds.Count} sessions");
        }
        if (_sawArticle12 && !_article12Ids.SequenceEqual(_sessionIds))
        {
            Problem("", null, "", "article_12.logging_obligations", "does not list the same sessions, in the same order, as sessions[]");
        }
        if (_sawArticle13 && !_article13Ids.SequenceEqual(_sessionIds))
        {
            Problem("", null, "", "article_13.transparency_documentation", "does not list the same sessions, in the same order, as sessions[]");
        }
        CompareCopies("article_12.logging_obligations", _digests12, _sessionDigests12, "article_12");
        CompareCopies("article_13.transparency_documentation", _digests13, _sessionDigests13, "article_13");
    }

    // The top-level sections repeat each session's article_12/article_13; an edit to one copy shows as a difference.
    private void CompareCopies(string section, List<string> copies, List<string> originals, string inner)
    {
        for (int i = 0; i < Math.Min(copies.Count, originals.Count); i++)
        {
            if (copies[i] != originals[i])
            {
                Problem(i < _sessionIds.Count ? _sessionIds[i] : "", null, "", section,
                    $"entry {i} differs from sessions[{i}].{inner} (one of the two copies was edited)");
            }
        }
    }

    private void StartDigest()
    {
        _t.Digest = new OffloadedSha256();
        _t.FeedCurrent();
    }

    private string EndDigest()
    {
        using OffloadedSha256 digest = _t.Digest!;
        _t.Digest = null;
        return digest.FinishHex();
    }

    private void Problem(string session, long? seq, string eventId, string field, string message, bool link = false) =>
        _r.Add(new PackageProblem(session, seq, eventId, field, message, link));

    // Reads the members of the object starting at the current token; the callback is positioned on each value
    // and must consume it entirely. The value of a member named `streamed` may be a huge string: it is streamed (see
    // PackageTokenStream.LongString).
    private void ForEachMember(Action<string> onValue, string? streamed = null)
    {
        if (_t.TokenType != JsonTokenType.StartObject) { _t.SkipValue(); return; }
        while (_t.Read() && _t.TokenType == JsonTokenType.PropertyName)
        {
            string name = Name();
            _t.StreamLongString = name == streamed;
            _t.Read();
            _t.StreamLongString = false;
            onValue(name);
        }
    }

    private void ForEachElement(Action onElement)
    {
        if (_t.TokenType != JsonTokenType.StartArray) { _t.SkipValue(); return; }
        while (_t.Read() && _t.TokenType != JsonTokenType.EndArray) onElement();
    }

    // Member names repeat for every event: the package's own names are taken from this list instead of decoded anew.
    private string Name()
    {
        ReadOnlySpan<byte> name = _t.ValueSpan;
        if (!_t.ValueIsEscaped && name.Length < s_namesByLength.Length)
        {
            foreach (string known in s_namesByLength[name.Length])
            {
                if (System.Text.Ascii.Equals(name, known)) return known;
            }
        }
        return JsonText.Unescape(name, _t.ValueIsEscaped);
    }

    private static readonly string[][] s_namesByLength = ByLength(
        "seq", "timestamp", "event_type", "event_id", "tool_name", "input_summary", "output_summary", "duration_ms", "cost_usd",
        "prev_hash", "line_hash", "line_number", "raw_line", "base64", "session_id", "system_id", "generation_timestamp",
        "trace_integrity", "events", "data_categories_processed", "retention_period_days", "hash_chain_valid", "root_hash",
        "event_count", "broken_at", "broken_event_id", "verification_command", "unparsed_lines", "article_12", "article_13");

    private static string[][] ByLength(params string[] names)
    {
        var table = new string[names.Max(n => n.Length) + 1][];
        for (int i = 0; i < table.Length; i++) table[i] = names.Where(n => n.Length == i).ToArray();
        return table;
    }

    private string Str() => JsonText.Unescape(_t.ValueSpan, _t.ValueIsEscaped);

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).TrimEnd('.');
    }

    private static byte[] Utf8Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
