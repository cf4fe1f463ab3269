using AgentStrace.Errors;
using AgentStrace.Spans;

namespace AgentStrace.Export;

/// <summary>Span options from <c>export</c> flags and the environment.</summary>
public static class TraceExportOptions
{
    public static SpanOptions From(ExportRequest request, Func<string, string?> env, IReadOnlyList<SpanAttribute> resourceAttributes, string? envServiceName)
    {
        SpanFormat format = request.Format == ExportFormat.Otlp ? SpanFormat.Classic : SpanFormat.GenAi;
        return new SpanOptions
        {
            Format = format,
            Semconv = ResolveSemconv(request.Semconv, env("OTEL_SEMCONV_STABILITY_OPT_IN")),
            NoContent = request.NoContent,
            ServiceName = NonEmpty(request.ServiceName) ?? NonEmpty(envServiceName) ?? "agent-trace",
            ResourceAttributes = resourceAttributes,
            MaxRootEvents = EventLimit(env("OTEL_SPAN_EVENT_COUNT_LIMIT")),
        };
    }

    /// <summary><c>--semconv</c>; seed, 1.41 and v1.41.0 are accepted spellings.</summary>
    public static readonly Choice<Semconv> Semconvs = new("--semconv", ["default", "v1.41", "latest", "seed", "1.41", "v1.41.0"],
        [Semconv.Default, Semconv.V141, Semconv.Latest, Semconv.Default, Semconv.V141, Semconv.V141], shown: 3, ignoreCase: true);

    /// <summary>The span shapes alone (demo, watch, the ship configuration): <c>otlp</c> or <c>otlp-genai</c>.</summary>
    public static readonly Choice<SpanFormat> SpanFormats = new("--format", ["otlp", "otlp-genai"], [SpanFormat.Classic, SpanFormat.GenAi]);

    /// <summary>The flag's conventions, else <c>latest</c> when <c>OTEL_SEMCONV_STABILITY_OPT_IN</c> opts in to them.</summary>
    public static Semconv ResolveSemconv(Semconv? flag, string? optIn) =>
        flag ?? (optIn is not null && optIn.Split(',').Any(v => v.Trim() == "gen_ai_latest_experimental") ? Semconv.Latest : Semconv.Default);

    // OTEL_SPAN_EVENT_COUNT_LIMIT, as the OTel SDKs read it; a bad value keeps the default.
    private static int EventLimit(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : SpanOptions.DefaultMaxRootEvents;

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
