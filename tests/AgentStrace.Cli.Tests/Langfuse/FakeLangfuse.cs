using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using AgentStrace.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AgentStrace.Cli.Tests.Langfuse;

/// <summary>
/// A loopback server playing Langfuse's contract as its ingestion code implements it, for what agent-strace uses:
/// <c>POST /api/public/otel/v1/traces</c> (OTLP/HTTP protobuf or JSON, gzip or not, Basic auth with the project keys;
/// <c>x-langfuse-ingestion-version</c> optional, rejected only when not a number or above 4; success answered with
/// JSON) and <c>POST /api/public/ingestion</c> with <c>score-create</c> events (envelope id, ISO timestamp, a body
/// under the score schema's rules; upserted by id; answered 207 with per-event successes and errors). Wrong keys get
/// 401, unknown paths 404. Score bodies are checked as strictly as Langfuse's schema, and unknown keys (which Langfuse
/// would drop silently) are reported too.
/// </summary>
public sealed class FakeLangfuse : IAsyncDisposable
{
    public const string TracesPath = "/api/public/otel/v1/traces";
    public const string ScoresPath = "/api/public/ingestion";

    private readonly WebApplication _app;
    private readonly string _expectedAuth;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers)> _requests = new();
    private readonly ConcurrentQueue<WireSpan> _spans = new();
    private readonly ConcurrentQueue<JsonElement> _scoreRequests = new();
    private readonly ConcurrentQueue<JsonElement> _scoreEvents = new();
    private readonly ConcurrentDictionary<string, JsonElement> _scores = new();

    private FakeLangfuse(WebApplication app, string url, string publicKey, string secretKey)
    {
        _app = app;
        Url = url;
        _expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(publicKey + ":" + secretKey));
    }

    public string Url { get; }
    /// <summary>Contract violations seen (missing header, bad body); a passing test expects none.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];
    public IReadOnlyList<(string Path, IReadOnlyDictionary<string, string> Headers)> Requests => [.. _requests];
    public IReadOnlyList<WireSpan> Spans => [.. _spans];
    /// <summary>Every score body accepted, in arrival order (a re-run adds to it).</summary>
    public IReadOnlyList<JsonElement> ScoreRequests => [.. _scoreRequests];
    /// <summary>The ingestion events (envelopes) of the accepted scores, in arrival order.</summary>
    public IReadOnlyList<JsonElement> ScoreEvents => [.. _scoreEvents];
    /// <summary>The stored scores by id (a re-run with the same ids updates them).</summary>
    public IReadOnlyDictionary<string, JsonElement> Scores => _scores;
    /// <summary>Scores with this name are answered as a per-event error (as Langfuse reports an invalid event).</summary>
    public string? RejectScoreName { get; set; }

    public static async Task<FakeLangfuse> StartAsync(string publicKey, string secretKey)
    {
        int port = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1));
        WebApplication app = builder.Build();
        var fake = new FakeLangfuse(app, $"http://127.0.0.1:{port}", publicKey, secretKey);
        app.Run(fake.HandleAsync);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        byte[] body = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _requests.Enqueue((request.Path.Value ?? "", headers));
        if (request.Method != "POST" || request.Path.Value is not (TracesPath or ScoresPath))
        {
            await Answer(context, 404, "{\"message\":\"Route not found\"}");
            return;
        }
        if (headers.GetValueOrDefault("authorization") != _expectedAuth)
        {
            // Real servers may echo what they got; the client must not print it.
            await Answer(context, 401, "{\"message\":\"Invalid credentials: " + JsonEncodedText.Encode(headers.GetValueOrDefault("authorization") ?? "") + "\"}");
            return;
        }
        if (string.Equals(headers.GetValueOrDefault("content-encoding"), "gzip", StringComparison.OrdinalIgnoreCase)) body = FakeCollector.Gunzip(body);
        if (request.Path.Value == TracesPath) await TracesAsync(context, headers, body);
        else await ScoreAsync(context, headers, body);
    }

    private async Task TracesAsync(HttpContext context, Dictionary<string, string> headers, byte[] body)
    {
        // Without the header the real server takes its legacy path; it rejects only a non-number or a version above 4.
        if (headers.GetValueOrDefault("x-langfuse-ingestion-version") is { } version
            && (!int.TryParse(version, out int v) || v > 4))
        {
            _problems.Enqueue("traces request with x-langfuse-ingestion-version " + version);
            await Answer(context, 400, "{\"message\":\"invalid x-langfuse-ingestion-version\"}");
            return;
        }
        string contentType = headers.GetValueOrDefault("content-type") ?? "";
        List<WireSpan> spans;
        if (contentType.Contains("application/x-protobuf", StringComparison.Ordinal)) spans = OtlpWire.DecodeTraceRequest(body);
        else if (contentType.Contains("application/json", StringComparison.Ordinal)) spans = OtlpWire.DecodeJsonTraceRequest(body);
        else
        {
            _problems.Enqueue("traces content-type " + contentType);
            await Answer(context, 400, "{\"message\":\"Invalid content type\"}");
            return;
        }
        // validateOtelSpanIds: every span needs a trace id and a span id.
        if (spans.Any(s => s.TraceId.Length == 0 || s.SpanId.Length == 0))
        {
            _problems.Enqueue("span without traceId/spanId");
            await Answer(context, 400, "{\"message\":\"Invalid span ids\"}");
            return;
        }
        foreach (WireSpan span in spans) _spans.Enqueue(span);
        await Answer(context, 200, "{}");
    }

    private async Task ScoreAsync(HttpContext context, Dictionary<string, string> headers, byte[] body)
    {
        JsonElement request;
        try
        {
            request = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            _problems.Enqueue("ingestion body is not JSON");
            await Answer(context, 400, "{\"message\":\"invalid JSON\"}");
            return;
        }
        if (headers.GetValueOrDefault("content-type")?.StartsWith("application/json", StringComparison.Ordinal) != true
            || request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("batch", out JsonElement batch) || batch.ValueKind != JsonValueKind.Array)
        {
            _problems.Enqueue("ingestion request is not a JSON {batch: [...]}: " + request.GetRawText());
            await Answer(context, 400, "{\"message\":\"Invalid request data\"}");
            return;
        }
        var successes = new List<string>();
        var errors = new List<string>();
        foreach (JsonElement e in batch.EnumerateArray())
        {
            string? problem = EventRules(e);
            string eventId = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
            if (problem is not null) _problems.Enqueue("invalid score event (" + problem + "): " + e.GetRawText());
            else if (RejectScoreName is { } reject && e.GetProperty("body").GetProperty("name").GetString() == reject) problem = "rejected by the test";
            if (problem is not null)
            {
                errors.Add($"{{\"id\":\"{JsonEncodedText.Encode(eventId)}\",\"status\":400,\"message\":\"Invalid request data\",\"error\":\"{JsonEncodedText.Encode(problem)}\"}}");
                continue;
            }
            JsonElement score = e.GetProperty("body");
            _scoreEvents.Enqueue(e);
            _scoreRequests.Enqueue(score);
            _scores[score.GetProperty("id").GetString()!] = score;
            successes.Add($"{{\"id\":\"{JsonEncodedText.Encode(eventId)}\",\"status\":201}}");
        }
        await Answer(context, 207, $"{{\"successes\":[{string.Join(',', successes)}],\"errors\":[{string.Join(',', errors)}]}}");
    }

    /// <summary>The ingestion envelope (id, timestamp, type) and the score body's rules; null when valid.</summary>
    private static string? EventRules(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) return "event is not an object";
        if (!e.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0) return "event id must be a non-empty string";
        if (!e.TryGetProperty("timestamp", out JsonElement ts) || ts.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(ts.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)) return "timestamp must be an ISO 8601 datetime";
        if (!e.TryGetProperty("type", out JsonElement type) || type.GetString() != "score-create") return "type must be score-create";
        return e.TryGetProperty("body", out JsonElement body) ? ScoreRules.Check(body) : "body is required";
    }

    private static async Task Answer(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }
}
