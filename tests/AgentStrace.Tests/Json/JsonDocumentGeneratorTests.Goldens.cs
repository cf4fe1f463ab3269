using AgentStrace.Json.Documents;

namespace AgentStrace.Tests.Json;

/// <summary>Values and the exact text System.Text.Json's source-generated serializer wrote for them (captured before it was replaced).</summary>
public sealed partial class JsonDocumentGeneratorTests
{
    private static Dictionary<string, SessionOffsetDocument> Sessions() => new()
    {
        ["s1"] = new() { Offset = 42, Finished = true },
        ["é<\"x\">"] = new() { Offset = long.MaxValue, Finished = false, Skipped = "filtered 'out' \u2028 ✓", MetricsSent = true },
        ["z"] = new() { Offset = -1, Finished = false, MetricsSent = false },
    };

    private static List<SessionListDocument> SessionList() =>
    [
        new() { SessionId = "a", StartedAt = 1.5, EndedAt = null, AgentName = "claude", Command = "x y", ToolCalls = 1, LlmRequests = 2, Errors = 3, TotalTokens = 4, TotalDurationMs = 5.5, ParentSessionId = "", Depth = 0 },
        new() { SessionId = "b", StartedAt = 2, EndedAt = 1e20, AgentName = "codé <x>", Command = "", ParentSessionId = "a", Depth = 1 },
    ];

    // As Python's json.dumps(indent=2) writes meta.json's values: 2.0, 1e+20, "\u00e9" and "<" as they are.
    private const string GoldenList = "[\n"
        + "  {\n"
        + "    \"session_id\": \"a\",\n"
        + "    \"started_at\": 1.5,\n"
        + "    \"ended_at\": null,\n"
        + "    \"agent_name\": \"claude\",\n"
        + "    \"command\": \"x y\",\n"
        + "    \"tool_calls\": 1,\n"
        + "    \"llm_requests\": 2,\n"
        + "    \"errors\": 3,\n"
        + "    \"total_tokens\": 4,\n"
        + "    \"total_duration_ms\": 5.5,\n"
        + "    \"parent_session_id\": \"\",\n"
        + "    \"depth\": 0\n"
        + "  },\n"
        + "  {\n"
        + "    \"session_id\": \"b\",\n"
        + "    \"started_at\": 2.0,\n"
        + "    \"ended_at\": 1e+20,\n"
        + "    \"agent_name\": \"cod\\u00e9 <x>\",\n"
        + "    \"command\": \"\",\n"
        + "    \"tool_calls\": 0,\n"
        + "    \"llm_requests\": 0,\n"
        + "    \"errors\": 0,\n"
        + "    \"total_tokens\": 0,\n"
        + "    \"total_duration_ms\": 0.0,\n"
        + "    \"parent_session_id\": \"a\",\n"
        + "    \"depth\": 1\n"
        + "  }\n"
        + "]";

    private static IEnumerable<(string Name, object Value, bool Indented, string Expected)> Goldens()
    {
        yield return ("checkpoint", new CheckpointDocument { SpoolGeneration = 3, SpoolAcked = 1234, Sessions = Sessions() }, true,
            "{\n"
            + "  \"version\": 1,\n"
            + "  \"spool_generation\": 3,\n"
            + "  \"spool_acked\": 1234,\n"
            + "  \"sessions\": {\n"
            + "    \"s1\": {\n"
            + "      \"offset\": 42,\n"
            + "      \"finished\": true\n"
            + "    },\n"
            + "    \"\\u00E9\\u003C\\u0022x\\u0022\\u003E\": {\n"
            + "      \"offset\": 9223372036854775807,\n"
            + "      \"finished\": false,\n"
            + "      \"skipped\": \"filtered \\u0027out\\u0027 \\u2028 \\u2713\",\n"
            + "      \"metrics_sent\": true\n"
            + "    },\n"
            + "    \"z\": {\n"
            + "      \"offset\": -1,\n"
            + "      \"finished\": false,\n"
            + "      \"metrics_sent\": false\n"
            + "    }\n"
            + "  }\n"
            + "}");
        yield return ("checkpoint_compact", new CheckpointDocument { Version = 2, SpoolGeneration = 0, SpoolAcked = long.MinValue, Sessions = [] }, false,
            "{\"version\":2,\"spool_generation\":0,\"spool_acked\":-9223372036854775808,\"sessions\":{}}");
        yield return ("ship", new ShipStateDocument { LastSuccessAt = 1700000000.123456, LastError = null, LastErrorAt = 0.1, Failures = int.MaxValue, NextAttemptAt = 1e21, DeliveredSpans = 5, DroppedEntries = 0, LastWarning = "w\n\t\u0001", Sessions = Sessions() }, true,
            "{\n"
            + "  \"version\": 1,\n"
            + "  \"last_success_at\": 1700000000.123456,\n"
            + "  \"last_error_at\": 0.1,\n"
            + "  \"failures\": 2147483647,\n"
            + "  \"next_attempt_at\": 1E+21,\n"
            + "  \"delivered_spans\": 5,\n"
            + "  \"dropped_entries\": 0,\n"
            + "  \"last_warning\": \"w\\n\\t\\u0001\",\n"
            + "  \"sessions\": {\n"
            + "    \"s1\": {\n"
            + "      \"offset\": 42,\n"
            + "      \"finished\": true\n"
            + "    },\n"
            + "    \"\\u00E9\\u003C\\u0022x\\u0022\\u003E\": {\n"
            + "      \"offset\": 9223372036854775807,\n"
            + "      \"finished\": false,\n"
            + "      \"skipped\": \"filtered \\u0027out\\u0027 \\u2028 \\u2713\",\n"
            + "      \"metrics_sent\": true\n"
            + "    },\n"
            + "    \"z\": {\n"
            + "      \"offset\": -1,\n"
            + "      \"finished\": false,\n"
            + "      \"metrics_sent\": false\n"
            + "    }\n"
            + "  }\n"
            + "}");
        yield return ("ship2", new ShipStateDocument { LastSuccessAt = -0.0, LastError = "boom", LastErrorAt = 1e-7, Failures = -3, NextAttemptAt = 123456789012345.67, DeliveredSpans = 0, DroppedEntries = 9, Sessions = [] }, true,
            "{\n"
            + "  \"version\": 1,\n"
            + "  \"last_success_at\": -0,\n"
            + "  \"last_error\": \"boom\",\n"
            + "  \"last_error_at\": 1E-07,\n"
            + "  \"failures\": -3,\n"
            + "  \"next_attempt_at\": 123456789012345.67,\n"
            + "  \"delivered_spans\": 0,\n"
            + "  \"dropped_entries\": 9,\n"
            + "  \"sessions\": {}\n"
            + "}");
        yield return ("outbox", new OutboxDocument { SessionId = "sess-1", Offset = 10, Final = true, At = 1.5, Resource = new() { ["host.name"] = "box", ["ci"] = "yes", ["ü"] = "<&>" } }, false,
            "{\"session_id\":\"sess-1\",\"offset\":10,\"final\":true,\"at\":1.5,\"resource\":{\"host.name\":\"box\",\"ci\":\"yes\",\"\\u00FC\":\"\\u003C\\u0026\\u003E\"}}");
        yield return ("outbox_null", new OutboxDocument { SessionId = null, Offset = 0, Final = false, At = 0 }, false,
            "{\"offset\":0,\"final\":false,\"at\":0}");
        yield return ("status", new WatchStatusDocument { Pid = 12, Running = true, UpdatedAt = 1.25, SessionsFollowed = 2, TailLagBytes = 99, LastEventAt = 3.5, Destination = "http://127.0.0.1:4318", SpooledSpans = 1, SpooledBytes = 2, OldestSpooledAgeSeconds = 0.001, DroppedSpans = 3, DamagedRecords = 4, SentSpans = 5, RejectedSpans = 6, LastSuccessAt = 7, LastError = "e", LastErrorAt = 8 }, true,
            "{\n"
            + "  \"pid\": 12,\n"
            + "  \"running\": true,\n"
            + "  \"updated_at\": 1.25,\n"
            + "  \"sessions_followed\": 2,\n"
            + "  \"tail_lag_bytes\": 99,\n"
            + "  \"last_event_at\": 3.5,\n"
            + "  \"destination\": \"http://127.0.0.1:4318\",\n"
            + "  \"spooled_spans\": 1,\n"
            + "  \"spooled_bytes\": 2,\n"
            + "  \"oldest_spooled_age_seconds\": 0.001,\n"
            + "  \"dropped_spans\": 3,\n"
            + "  \"damaged_records\": 4,\n"
            + "  \"sent_spans\": 5,\n"
            + "  \"rejected_spans\": 6,\n"
            + "  \"last_success_at\": 7,\n"
            + "  \"last_error\": \"e\",\n"
            + "  \"last_error_at\": 8\n"
            + "}");
        yield return ("status_empty", new WatchStatusDocument(), true,
            "{\n"
            + "  \"pid\": 0,\n"
            + "  \"running\": false,\n"
            + "  \"updated_at\": 0,\n"
            + "  \"sessions_followed\": 0,\n"
            + "  \"tail_lag_bytes\": 0,\n"
            + "  \"spooled_spans\": 0,\n"
            + "  \"spooled_bytes\": 0,\n"
            + "  \"dropped_spans\": 0,\n"
            + "  \"damaged_records\": 0,\n"
            + "  \"sent_spans\": 0,\n"
            + "  \"rejected_spans\": 0\n"
            + "}");
        yield return ("postmortem", new PostmortemDocument { Reason = "budget" }, true,
            "{\n"
            + "  \"reason\": \"budget\"\n"
            + "}");
        yield return ("stats", new StatsDocument
        {
            Title = "T", Sessions = 1, Subagents = 2, DurationSeconds = 3.5, ToolCalls = 4, ModelCalls = 5, Errors = 6, ErrorRate = 0.333, Retries = 7, RetryRate = 0.5,
            InputTokens = 8, OutputTokens = 9, CostUsd = 0.012345, CostEstimated = true,
            Tools = [new() { Tool = "Bash", Calls = 1, Errors = 0, P50Ms = 1.5, P95Ms = 2.5, MaxMs = 3 }],
            Models = [new() { Model = "m", Calls = 1, InputTokens = 2, OutputTokens = 3, CacheReadTokens = 4, CacheWriteTokens = 5, CostUsd = 6 }],
            FilesWritten = ["a.txt", "b/ü.cs"], FilesRead = [],
        }, true,
            "{\n"
            + "  \"title\": \"T\",\n"
            + "  \"sessions\": 1,\n"
            + "  \"subagents\": 2,\n"
            + "  \"duration_s\": 3.5,\n"
            + "  \"tool_calls\": 4,\n"
            + "  \"model_calls\": 5,\n"
            + "  \"errors\": 6,\n"
            + "  \"error_rate\": 0.333,\n"
            + "  \"retries\": 7,\n"
            + "  \"retry_rate\": 0.5,\n"
            + "  \"input_tokens\": 8,\n"
            + "  \"output_tokens\": 9,\n"
            + "  \"cost_usd\": 0.012345,\n"
            + "  \"cost_estimated\": true,\n"
            + "  \"tools\": [\n"
            + "    {\n"
            + "      \"tool\": \"Bash\",\n"
            + "      \"calls\": 1,\n"
            + "      \"errors\": 0,\n"
            + "      \"p50_ms\": 1.5,\n"
            + "      \"p95_ms\": 2.5,\n"
            + "      \"max_ms\": 3\n"
            + "    }\n"
            + "  ],\n"
            + "  \"models\": [\n"
            + "    {\n"
            + "      \"model\": \"m\",\n"
            + "      \"calls\": 1,\n"
            + "      \"input_tokens\": 2,\n"
            + "      \"output_tokens\": 3,\n"
            + "      \"cache_read_tokens\": 4,\n"
            + "      \"cache_write_tokens\": 5,\n"
            + "      \"cost_usd\": 6\n"
            + "    }\n"
            + "  ],\n"
            + "  \"files_written\": [\n"
            + "    \"a.txt\",\n"
            + "    \"b/\\u00FC.cs\"\n"
            + "  ],\n"
            + "  \"files_read\": []\n"
            + "}");
        yield return ("scores", new ScoreBatchDocument
        {
            Batch =
            [
                new()
                {
                    Id = "i", Timestamp = "t", Type = "score-create",
                    Body = new()
                    {
                        Id = "id", TraceId = "tr", ObservationId = "ob", Name = "n", Value = 0.75, DataType = "NUMERIC", Comment = "c", Environment = "prod",
                        Metadata = new() { Source = "s", AgentStraceSessionId = "x", Threshold = 1, Passed = true, Reason = "r" },
                    },
                },
            ],
        }, false,
            "{\"batch\":[{\"id\":\"i\",\"timestamp\":\"t\",\"type\":\"score-create\",\"body\":{\"id\":\"id\",\"traceId\":\"tr\",\"observationId\":\"ob\",\"name\":\"n\",\"value\":0.75,\"dataType\":\"NUMERIC\",\"comment\":\"c\",\"environment\":\"prod\",\"metadata\":{\"source\":\"s\",\"agent_strace_session_id\":\"x\",\"threshold\":1,\"passed\":true,\"reason\":\"r\"}}}]}");
    }
}
