using AgentStrace.Capture.Import.Codex;
using AgentStrace.Capture.Import.Gemini;
using AgentStrace.Capture.Redaction;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>Reads any supported agent's session file (its format detected from the content, or known from where discovery found it) into sessions.</summary>
public sealed class AgentImporter(TraceStore store, Redactor redactor)
{
    private readonly SessionImportWriter _writer = new(store, redactor);

    /// <summary>Record types no reader knew, over every file read by this importer (thread-safe).</summary>
    public UnknownRecords Unknown { get; } = new();

    /// <summary>Epoch seconds after which a Claude Code request at the end of its transcript counts as still streaming
    /// and is held back for a later import; infinity (the default) stores every request as read.</summary>
    public double UnsettledAfter { get; init; } = double.PositiveInfinity;

    /// <param name="cancellationToken">Checked between sessions (a transcript with sub-agents holds several); each
    /// session is written in one append, so a cancelled import leaves whole sessions only.</param>
    public List<ImportResult> Import(string path, CancellationToken cancellationToken = default)
    {
        var results = new List<ImportResult>();
        foreach (ImportedSession s in Read(path, AgentFormats.Detect(path)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_writer.Write(s) is { } r) results.Add(r);
        }
        return results;
    }

    /// <summary>The file's sessions; Codex and Gemini CLI sessions stream their events, so store each before asking for the next.</summary>
    public IEnumerable<ImportedSession> Read(string path, AgentFormat format) => format switch
    {
        AgentFormat.Codex => CodexImporter.Read(path, Unknown, redactor),
        AgentFormat.Gemini => GeminiImporter.Read(path, Unknown, redactor),
        _ => TranscriptImporter.Read(path, redactor, UnsettledAfter),
    };
}
