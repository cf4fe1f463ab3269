namespace AgentStrace.Otlp.Protobuf;

/// <summary>
/// OTLP protobuf field numbers, declared once for every hand-written writer and reader in the project.
/// Names copy the proto path (<c>Message_Field</c>, nested messages as <c>Outer_Inner_Field</c>).
/// </summary>
/// <remarks>
/// Follows opentelemetry-proto v1.11.0 (<c>opentelemetry/proto/{common,resource,trace,metrics,collector}</c>).
/// Traces, common and collector messages are here; metrics messages are in <c>OtlpFieldNumbers.Metrics.cs</c>.
/// </remarks>
public static partial class OtlpFieldNumbers
{
    // collector/trace/v1/trace_service.proto
    public const int ExportTraceServiceRequest_Resource_Spans = 1;
    public const int ExportTraceServiceResponse_Partial_Success = 1;
    public const int ExportTracePartialSuccess_Rejected_Spans = 1;
    public const int ExportTracePartialSuccess_Error_Message = 2;

    // trace/v1/trace.proto
    public const int TracesData_Resource_Spans = 1;
    public const int ResourceSpans_Resource = 1;
    public const int ResourceSpans_Scope_Spans = 2;
    public const int ResourceSpans_Schema_Url = 3;
    public const int ScopeSpans_Scope = 1;
    public const int ScopeSpans_Spans = 2;
    public const int ScopeSpans_Schema_Url = 3;

    public const int Span_Trace_Id = 1;
    public const int Span_Span_Id = 2;
    public const int Span_Trace_State = 3;
    public const int Span_Parent_Span_Id = 4;
    public const int Span_Name = 5;
    public const int Span_Kind = 6;
    public const int Span_Start_Time_Unix_Nano = 7;
    public const int Span_End_Time_Unix_Nano = 8;
    public const int Span_Attributes = 9;
    public const int Span_Dropped_Attributes_Count = 10;
    public const int Span_Events = 11;
    public const int Span_Dropped_Events_Count = 12;
    public const int Span_Links = 13;
    public const int Span_Dropped_Links_Count = 14;
    public const int Span_Status = 15;
    public const int Span_Flags = 16;

    public const int Span_Event_Time_Unix_Nano = 1;
    public const int Span_Event_Name = 2;
    public const int Span_Event_Attributes = 3;
    public const int Span_Event_Dropped_Attributes_Count = 4;

    public const int Status_Message = 2;
    public const int Status_Code = 3;

    // resource/v1/resource.proto
    public const int Resource_Attributes = 1;
    public const int Resource_Dropped_Attributes_Count = 2;

    // common/v1/common.proto
    public const int InstrumentationScope_Name = 1;
    public const int InstrumentationScope_Version = 2;
    public const int InstrumentationScope_Attributes = 3;
    public const int InstrumentationScope_Dropped_Attributes_Count = 4;

    public const int KeyValue_Key = 1;
    public const int KeyValue_Value = 2;

    public const int AnyValue_String_Value = 1;
    public const int AnyValue_Bool_Value = 2;
    public const int AnyValue_Int_Value = 3;
    public const int AnyValue_Double_Value = 4;
    public const int AnyValue_Array_Value = 5;
    public const int AnyValue_Kvlist_Value = 6;
    public const int AnyValue_Bytes_Value = 7;

    public const int ArrayValue_Values = 1;
    public const int KeyValueList_Values = 1;
}
