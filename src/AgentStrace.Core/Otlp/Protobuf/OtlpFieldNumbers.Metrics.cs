namespace AgentStrace.Otlp.Protobuf;

/// <summary>Metrics field numbers (opentelemetry-proto v1.11.0 <c>metrics/v1/metrics.proto</c> and the metrics collector service).</summary>
public static partial class OtlpFieldNumbers
{
    // collector/metrics/v1/metrics_service.proto
    public const int ExportMetricsServiceRequest_Resource_Metrics = 1;
    public const int ExportMetricsServiceResponse_Partial_Success = 1;
    public const int ExportMetricsPartialSuccess_Rejected_Data_Points = 1;
    public const int ExportMetricsPartialSuccess_Error_Message = 2;

    public const int ResourceMetrics_Resource = 1;
    public const int ResourceMetrics_Scope_Metrics = 2;
    public const int ResourceMetrics_Schema_Url = 3;
    public const int ScopeMetrics_Scope = 1;
    public const int ScopeMetrics_Metrics = 2;
    public const int ScopeMetrics_Schema_Url = 3;

    public const int Metric_Name = 1;
    public const int Metric_Description = 2;
    public const int Metric_Unit = 3;
    public const int Metric_Gauge = 5;
    public const int Metric_Sum = 7;
    public const int Metric_Histogram = 9;
    public const int Metric_Metadata = 12;

    public const int Gauge_Data_Points = 1;
    public const int Sum_Data_Points = 1;
    public const int Sum_Aggregation_Temporality = 2;
    public const int Sum_Is_Monotonic = 3;
    public const int Histogram_Data_Points = 1;
    public const int Histogram_Aggregation_Temporality = 2;

    /// <summary>NumberDataPoint: field 1 is reserved.</summary>
    public const int NumberDataPoint_Start_Time_Unix_Nano = 2;
    public const int NumberDataPoint_Time_Unix_Nano = 3;
    /// <summary>double, wire type I64.</summary>
    public const int NumberDataPoint_As_Double = 4;
    public const int NumberDataPoint_Exemplars = 5;
    /// <summary>sfixed64, wire type I64.</summary>
    public const int NumberDataPoint_As_Int = 6;
    public const int NumberDataPoint_Attributes = 7;
    public const int NumberDataPoint_Flags = 8;

    /// <summary>HistogramDataPoint: field 1 is reserved.</summary>
    public const int HistogramDataPoint_Start_Time_Unix_Nano = 2;
    public const int HistogramDataPoint_Time_Unix_Nano = 3;
    /// <summary>fixed64.</summary>
    public const int HistogramDataPoint_Count = 4;
    public const int HistogramDataPoint_Sum = 5;
    /// <summary>packed repeated fixed64.</summary>
    public const int HistogramDataPoint_Bucket_Counts = 6;
    /// <summary>packed repeated double.</summary>
    public const int HistogramDataPoint_Explicit_Bounds = 7;
    public const int HistogramDataPoint_Exemplars = 8;
    public const int HistogramDataPoint_Attributes = 9;
    public const int HistogramDataPoint_Flags = 10;
    public const int HistogramDataPoint_Min = 11;
    public const int HistogramDataPoint_Max = 12;

    /// <summary>AggregationTemporality enum values.</summary>
    public const int AggregationTemporality_Delta = 1;
    public const int AggregationTemporality_Cumulative = 2;
}
