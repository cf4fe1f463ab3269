using AgentStrace.Capture.Import.Codex;
using AgentStrace.Capture.Import.Gemini;
using AgentStrace.Capture.Redaction;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>Imports any supported agent's session file: detects its format and hands it to that agent's reader.</summary>
public sealed class AgentImporter(TraceStore store, Redactor redactor)
{
    private readonly TranscriptImporter _claude = new(store, redactor);
    private CodexImporter? _codex;
    private GeminiImporter? _gemini;

    public UnknownRecords Unknown { get; } = new();

    public List<ImportResult> Import(string path) => Import(path, AgentFormats.Detect(path));

    public List<ImportResult> Import(string path, AgentFormat format) => format switch
    {
        AgentFormat.Codex => (_codex ??= new CodexImporter(store, redactor, Unknown)).Import(path),
        AgentFormat.Gemini => (_gemini ??= new GeminiImporter(store, redactor, Unknown)).Import(path),
        _ => _claude.Import(path),
    };
}
