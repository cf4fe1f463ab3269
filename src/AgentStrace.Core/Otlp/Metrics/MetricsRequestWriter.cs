using AgentStrace.Otlp.Protobuf;
using static AgentStrace.Otlp.Protobuf.OtlpFieldNumbers;

namespace AgentStrace.Otlp.Metrics;

/// <summary>Encodes an OTLP <c>ExportMetricsServiceRequest</c> (the same bytes are a <c>MetricsData</c>) with <see cref="ProtoWriter"/>.</summary>
public static class MetricsRequestWriter
{
    public static void Write(ProtoWriter writer, ResourceMetricsData data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        int rm = writer.BeginMessage(ExportMetricsServiceRequest_Resource_Metrics);
        int resource = writer.BeginMessage(ResourceMetrics_Resource);
        AttributeWriter.WriteAll(writer, Resource_Attributes, data.Resource);
        writer.EndMessage(resource);

        int sm = writer.BeginMessage(ResourceMetrics_Scope_Metrics);
        int scope = writer.BeginSmallMessage(ScopeMetrics_Scope);
        if (data.ScopeName.Length > 0) writer.WriteStringField(InstrumentationScope_Name, data.ScopeName);
        if (data.ScopeVersion.Length > 0) writer.WriteStringField(InstrumentationScope_Version, data.ScopeVersion);
        writer.EndSmallMessage(scope);
        foreach (MetricData metric in data.Metrics)
        {
            int m = writer.BeginMessage(ScopeMetrics_Metrics);
            WriteMetric(writer, metric);
            writer.EndMessage(m);
        }
        if (data.SchemaUrl.Length > 0) writer.WriteStringField(ScopeMetrics_Schema_Url, data.SchemaUrl);
        writer.EndMessage(sm);
        writer.EndMessage(rm);
    }

    private static void WriteMetric(ProtoWriter writer, MetricData metric)
    {
        writer.WriteStringField(Metric_Name, metric.Name);
        if (metric.Description.Length > 0) writer.WriteStringField(Metric_Description, metric.Description);
        if (metric.Unit.Length > 0) writer.WriteStringField(Metric_Unit, metric.Unit);
        if (metric.Kind == MetricKind.Gauge)
        {
            int gauge = writer.BeginMessage(Metric_Gauge);
            foreach (NumberPoint p in metric.Points)
            {
                int dp = writer.BeginMessage(Gauge_Data_Points);
                if (p.StartTimeUnixNano != 0) writer.WriteFixed64Field(NumberDataPoint_Start_Time_Unix_Nano, p.StartTimeUnixNano);
                writer.WriteFixed64Field(NumberDataPoint_Time_Unix_Nano, p.TimeUnixNano);
                writer.WriteDoubleField(NumberDataPoint_As_Double, p.Value);
                AttributeWriter.WriteAll(writer, NumberDataPoint_Attributes, p.Attributes);
                writer.EndMessage(dp);
            }
            writer.EndMessage(gauge);
            return;
        }
        int histogram = writer.BeginMessage(Metric_Histogram);
        foreach (HistogramPoint p in metric.HistogramPoints)
        {
            int dp = writer.BeginMessage(Histogram_Data_Points);
            writer.WriteFixed64Field(HistogramDataPoint_Start_Time_Unix_Nano, p.StartTimeUnixNano);
            writer.WriteFixed64Field(HistogramDataPoint_Time_Unix_Nano, p.TimeUnixNano);
            writer.WriteFixed64Field(HistogramDataPoint_Count, p.Count);
            writer.WriteDoubleField(HistogramDataPoint_Sum, p.Sum);
            writer.WritePackedFixed64Field(HistogramDataPoint_Bucket_Counts, p.BucketCounts);
            writer.WritePackedDoubleField(HistogramDataPoint_Explicit_Bounds, p.Bounds);
            AttributeWriter.WriteAll(writer, HistogramDataPoint_Attributes, p.Attributes);
            if (p.Count > 0)
            {
                writer.WriteDoubleField(HistogramDataPoint_Min, p.Min);
                writer.WriteDoubleField(HistogramDataPoint_Max, p.Max);
            }
            writer.EndMessage(dp);
        }
        writer.WriteEnumField(Histogram_Aggregation_Temporality, metric.Temporality);
        writer.EndMessage(histogram);
    }
}
