namespace AgentStrace.Export;

/// <summary><c>export --format</c>: the stored events as upstream writes them, OTLP spans, or the evidence package.</summary>
public enum ExportFormat
{
    Json,
    Ndjson,
    Csv,
    /// <summary><c>otlp</c>: spans with the upstream classic names and attributes.</summary>
    Otlp,
    /// <summary><c>otlp-genai</c>: spans after the OpenTelemetry GenAI conventions.</summary>
    OtlpGenAi,
    /// <summary><c>eu-ai-act</c>: the record-keeping evidence package.</summary>
    EuAiAct,
}

public static class ExportFormats
{
    /// <summary>The words of <c>--format</c>, indexed by <see cref="ExportFormat"/> (the order help and errors list them).</summary>
    public static readonly string[] Words = ["json", "ndjson", "csv", "otlp", "otlp-genai", "eu-ai-act"];

    /// <summary>The format as the user types it (for messages).</summary>
    public static string Word(this ExportFormat format) => Words[(int)format];

    /// <summary>Spans (otlp, otlp-genai), as opposed to the stored events verbatim (json, ndjson, csv, eu-ai-act).</summary>
    public static bool IsSpans(this ExportFormat format) => format is ExportFormat.Otlp or ExportFormat.OtlpGenAi;
}
