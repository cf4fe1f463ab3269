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
            Semconv = ParseSemconv(request.Semconv, env("OTEL_SEMCONV_STABILITY_OPT_IN")),
            NoContent = request.NoContent,
            ServiceName = NonEmpty(request.ServiceName) ?? NonEmpty(envServiceName) ?? "agent-trace",
            ResourceAttributes = resourceAttributes,
            MaxRootEvents = EventLimit(env("OTEL_SPAN_EVENT_COUNT_LIMIT")),
        };
    }

    public static Semconv ParseSemconv(string? flag, string? optIn)
    {
        switch (flag?.Trim().ToLowerInvariant())
        {
            case null or "":
                return optIn is not null && optIn.Split(',').Any(v => v.Trim() == "gen_ai_latest_experimental") ? Semconv.Latest : Semconv.Default;
            case "default" or "seed": return Semconv.Default;
            case "v1.41" or "1.41" or "v1.41.0": return Semconv.V141;
            case "latest": return Semconv.Latest;
            default: throw new AgentStraceException($"Unknown --semconv '{flag}': use default, v1.41 or latest.");
        }
    }

    // OTEL_SPAN_EVENT_COUNT_LIMIT, as the OTel SDKs read it; a bad value keeps the default.
    private static int EventLimit(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : SpanOptions.DefaultMaxRootEvents;

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
