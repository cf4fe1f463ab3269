using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using TUnit.Core.Interfaces;

namespace AgentStrace.Testing;

/// <summary>
/// A loopback OTLP server (Kestrel) that records requests and answers what a test scripts: status sequences,
/// Retry-After, error bodies, partial success in protobuf and JSON, delays and dropped connections, over
/// HTTP/1.1 (<see cref="HttpUrl"/>) and cleartext HTTP/2 with gRPC trailers (<see cref="GrpcUrl"/>).
/// </summary>
/// <remarks>
/// Shared per test session: each test takes a <see cref="NewScope"/> and sends its <c>x-fake-scope</c> header, so
/// scripts and recordings never mix. Requests without the header use <see cref="DefaultScope"/>.
/// </remarks>
public sealed class FakeCollector : IAsyncInitializer, IAsyncDisposable
{
    public const string ScopeHeader = "x-fake-scope";

    private readonly ConcurrentDictionary<string, FakeScope> _scopes = new();
    private WebApplication? _app;

    public FakeCollector() => DefaultScope = new FakeScope(this, "default");

    /// <summary>HTTP/1.1 base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string HttpUrl { get; private set; } = "";
    /// <summary>Cleartext HTTP/2 (h2c) base URL for gRPC.</summary>
    public string GrpcUrl { get; private set; } = "";
    public FakeScope DefaultScope { get; }

    public FakeScope NewScope()
    {
        var scope = new FakeScope(this, Guid.NewGuid().ToString("N")[..12]);
        _scopes[scope.Id] = scope;
        return scope;
    }

    public async Task InitializeAsync()
    {
        int httpPort = FreePort.Next(), grpcPort = FreePort.Next();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 256L * 1024 * 1024;
            k.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        HttpUrl = $"http://127.0.0.1:{httpPort}";
        GrpcUrl = $"http://127.0.0.1:{grpcPort}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        using var raw = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(raw, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            return;
        }
        byte[] rawBody = raw.ToArray();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> h in request.Headers) headers[h.Key.ToLowerInvariant()] = h.Value.ToString();

        bool grpc = request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        byte? flag = null;
        byte[] body = rawBody;
        if (grpc && rawBody.Length >= 5)
        {
            flag = rawBody[0];
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(rawBody.AsSpan(1));
            body = rawBody.AsSpan(5, Math.Min(length, rawBody.Length - 5)).ToArray();
            if (flag == 1) body = Gunzip(body);
        }
        else if (string.Equals(headers.GetValueOrDefault("content-encoding"), "gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = Gunzip(rawBody);
        }

        FakeScope scope = headers.TryGetValue(ScopeHeader, out string? id) && _scopes.TryGetValue(id, out FakeScope? s) ? s : DefaultScope;
        scope.Record(new RecordedRequest
        {
            Path = request.Path.Value ?? "",
            Protocol = request.Protocol,
            Headers = headers,
            RawBody = rawBody,
            Body = body,
            GrpcCompressedFlag = flag,
            ReceivedAt = DateTimeOffset.UtcNow,
        });

        FakeResponse response = scope.Next();
        if (response.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(response.Delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        if (response.Abort)
        {
            context.Abort();
            return;
        }
        if (grpc) await WriteGrpcAsync(context, response);
        else await WriteHttpAsync(context, response, request.ContentType);
    }

    private static async Task WriteHttpAsync(HttpContext context, FakeResponse response, string? requestContentType)
    {
        context.Response.StatusCode = response.Status;
        foreach (KeyValuePair<string, string> h in response.Headers) context.Response.Headers[h.Key] = h.Value;
        context.Response.ContentType = response.ContentType ?? requestContentType ?? "application/x-protobuf";
        if (response.CutShort)
        {
            context.Response.ContentLength = response.Body.Length;
            await context.Response.Body.WriteAsync(response.Body.AsMemory(0, response.Body.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }
        if (response.Body.Length > 0) await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private static async Task WriteGrpcAsync(HttpContext context, FakeResponse response)
    {
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/grpc";
        foreach (KeyValuePair<string, string> h in response.Headers) context.Response.Headers[h.Key] = h.Value;
        if (response.GrpcCompressed) context.Response.Headers["grpc-encoding"] = "gzip";
        if (response.Status == 200 && response.GrpcStatus == 0)
        {
            byte[] frame = new byte[5 + response.Body.Length];
            frame[0] = response.GrpcCompressed ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)response.Body.Length);
            response.Body.CopyTo(frame, 5);
            await context.Response.Body.WriteAsync(frame, context.RequestAborted);
        }
        if (!context.Response.SupportsTrailers()) return;
        context.Response.AppendTrailer("grpc-status", response.GrpcStatusText ?? response.GrpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (response.GrpcMessage is { } m) context.Response.AppendTrailer("grpc-message", Uri.EscapeDataString(m));
        if (response.GrpcStatusDetails is { } d) context.Response.AppendTrailer("grpc-status-details-bin", d);
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var input = new MemoryStream(data);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
