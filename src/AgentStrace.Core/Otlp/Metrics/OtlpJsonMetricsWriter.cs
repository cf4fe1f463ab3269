using System.Text.Json;
using AgentStrace.Otlp.Json;
using static AgentStrace.Otlp.Metrics.MetricsJsonNames;

namespace AgentStrace.Otlp.Metrics;

/// <summary>
/// Writes an OTLP/JSON <c>ExportMetricsServiceRequest</c>: 64-bit integers (times, counts, bucket counts) as decimal
/// strings, enums as integers, lowerCamelCase names (opentelemetry-proto <c>docs/specification.md</c> §JSON).
/// </summary>
public static class OtlpJsonMetricsWriter
{
    public static void Write(Utf8JsonWriter writer, ResourceMetricsData data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        writer.WriteStartObject();
        writer.WriteStartArray(ResourceMetrics);
        writer.WriteStartObject();
        writer.WriteStartObject(JsonNames.Resource);
        OtlpJsonAttributes.WriteAll(writer, data.Resource);
        writer.WriteEndObject();
        writer.WriteStartArray(ScopeMetrics);
        writer.WriteStartObject();
        writer.WriteStartObject(JsonNames.Scope);
        writer.WriteString(JsonNames.Name, data.ScopeName);
        if (data.ScopeVersion.Length > 0) writer.WriteString(JsonNames.Version, data.ScopeVersion);
        writer.WriteEndObject();
        writer.WriteStartArray(MetricsJsonNames.Metrics);
        foreach (MetricData metric in data.Metrics) WriteMetric(writer, metric);
        writer.WriteEndArray();
        if (data.SchemaUrl.Length > 0) writer.WriteString(JsonNames.SchemaUrl, data.SchemaUrl);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMetric(Utf8JsonWriter writer, MetricData metric)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Name, metric.Name);
        if (metric.Description.Length > 0) writer.WriteString(Description, metric.Description);
        if (metric.Unit.Length > 0) writer.WriteString(Unit, metric.Unit);
        if (metric.Kind == MetricKind.Gauge)
        {
            writer.WriteStartObject(Gauge);
            writer.WriteStartArray(DataPoints);
            foreach (NumberPoint p in metric.Points)
            {
                writer.WriteStartObject();
                OtlpJsonAttributes.WriteAll(writer, p.Attributes);
                if (p.StartTimeUnixNano != 0) OtlpJsonTraceWriter.WriteUInt64String(writer, JsonNames.StartTimeUnixNano, p.StartTimeUnixNano);
                OtlpJsonTraceWriter.WriteUInt64String(writer, JsonNames.TimeUnixNano, p.TimeUnixNano);
                writer.WriteNumber(AsDouble, p.Value);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject(Histogram);
            writer.WriteStartArray(DataPoints);
            foreach (HistogramPoint p in metric.HistogramPoints) WriteHistogramPoint(writer, p);
            writer.WriteEndArray();
            writer.WriteNumber(AggregationTemporality, metric.Temporality);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteHistogramPoint(Utf8JsonWriter writer, HistogramPoint p)
    {
        writer.WriteStartObject();
        OtlpJsonAttributes.WriteAll(writer, p.Attributes);
        OtlpJsonTraceWriter.WriteUInt64String(writer, JsonNames.StartTimeUnixNano, p.StartTimeUnixNano);
        OtlpJsonTraceWriter.WriteUInt64String(writer, JsonNames.TimeUnixNano, p.TimeUnixNano);
        OtlpJsonTraceWriter.WriteUInt64String(writer, Count, p.Count);
        writer.WriteNumber(Sum, p.Sum);
        writer.WriteStartArray(BucketCounts);
        Span<byte> digits = stackalloc byte[20];
        foreach (ulong c in p.BucketCounts)
        {
            c.TryFormat(digits, out int n);
            writer.WriteStringValue(digits[..n]);
        }
        writer.WriteEndArray();
        writer.WriteStartArray(ExplicitBounds);
        foreach (double b in p.Bounds) writer.WriteNumberValue(b);
        writer.WriteEndArray();
        if (p.Count > 0)
        {
            writer.WriteNumber(Min, p.Min);
            writer.WriteNumber(Max, p.Max);
        }
        writer.WriteEndObject();
    }
}
