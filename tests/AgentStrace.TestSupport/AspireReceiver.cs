using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using TUnit.Core.Interfaces;

namespace AgentStrace.Testing;

/// <summary>
/// The real OTLP receiver for end-to-end tests: the Aspire dashboard from the NuGet package
/// <c>Aspire.Dashboard.Sdk.linux-x64</c> (restored by a <c>PackageDownload</c> in the test projects), started on
/// free loopback ports and stopped on dispose. Use with
/// <c>[ClassDataSource&lt;AspireReceiver&gt;(Shared = SharedType.PerTestSession)]</c>.
/// </summary>
/// <remarks>
/// It decodes http/protobuf, http/json and gRPC (also gzip on gRPC; its OTLP/HTTP endpoint refuses gzip bodies).
/// Data lives in memory until the process stops. Shapes of its API (checked against 13.6.5):
/// <list type="bullet">
/// <item><c>GET /api/telemetry/resources</c> → <c>[{"name","displayName","hasLogs","hasTraces","hasMetrics"}]</c>.</item>
/// <item><c>GET /api/telemetry/spans?resource=NAME&amp;limit=N</c> and <c>/api/telemetry/traces/{traceId}</c> →
/// <c>{"data":{"resourceSpans":[{"resource":{"attributes":[…]},"scopeSpans":[{"scope":{"name","version"},"spans":[…]}]}]},
/// "totalCount":N,"returnedCount":N}</c>. Spans are OTLP/JSON (hex ids, <c>kind</c> as int, times as strings,
/// <c>parentSpanId</c> only on children, <c>status</c> absent when unset) but <b>every attribute value comes back as a
/// <c>stringValue</c></b> (<c>42</c> → <c>"42"</c>, <c>1.5</c> → <c>"1.5"</c>, a string array → <c>"[\"x\",\"y\"]"</c>),
/// times are truncated to 100 ns (it stores .NET ticks), and the resource gains <c>service.instance.id</c>.</item>
/// </list>
/// </remarks>
public sealed class AspireReceiver : IAsyncInitializer, IAsyncDisposable
{
    public const string PackageId = "aspire.dashboard.sdk.linux-x64";
    public const string PackageVersion = "13.6.5";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _log = new();
    private Process? _process;
    private HttpClient? _http;

    /// <summary>OTLP/HTTP base URL (append <c>/v1/traces</c>).</summary>
    public string OtlpHttpUrl { get; private set; } = "";
    /// <summary>OTLP/gRPC URL (h2c).</summary>
    public string OtlpGrpcUrl { get; private set; } = "";
    /// <summary>Dashboard and <c>/api/telemetry</c> base URL.</summary>
    public string ApiUrl { get; private set; } = "";

    /// <summary>The dashboard executable in the NuGet package folder (<c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>).</summary>
    public static string ExecutablePath
    {
        get
        {
            string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(root, PackageId, PackageVersion, "tools", "Aspire.Dashboard");
        }
    }

    public async Task InitializeAsync()
    {
        string exe = ExecutablePath;
        if (!File.Exists(exe))
        {
            throw new FileNotFoundException($"Aspire dashboard not found at {exe}: run 'dotnet restore' (the test projects download {PackageId} {PackageVersion}).");
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(exe) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(exe, File.GetUnixFileMode(exe) | UnixFileMode.UserExecute);
        }
        int api = FreePort.Next(), http = FreePort.Next(), grpc = FreePort.Next();
        ApiUrl = $"http://127.0.0.1:{api}";
        OtlpHttpUrl = $"http://127.0.0.1:{http}";
        OtlpGrpcUrl = $"http://127.0.0.1:{grpc}";
        var psi = new ProcessStartInfo(exe)
        {
            WorkingDirectory = Path.GetDirectoryName(exe)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_URLS"] = ApiUrl;
        psi.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = OtlpHttpUrl;
        psi.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = OtlpGrpcUrl;
        psi.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        psi.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        psi.Environment["Dashboard__Api__Enabled"] = "true";
        psi.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + exe);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http = new HttpClient { BaseAddress = new Uri(ApiUrl), Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilReadyAsync(http, grpc);
    }

    public Task<JsonDocument> GetResourcesAsync() => GetJsonAsync("/api/telemetry/resources");

    public Task<JsonDocument> GetSpansAsync(string resource, int limit = 200) =>
        GetJsonAsync($"/api/telemetry/spans?resource={Uri.EscapeDataString(resource)}&limit={limit}");

    public Task<JsonDocument> GetTraceAsync(string traceId) => GetJsonAsync($"/api/telemetry/traces/{traceId}");

    /// <summary>Polls <see cref="GetSpansAsync"/> until at least <paramref name="count"/> spans of the resource arrived (bounded).</summary>
    public async Task<List<JsonElement>> WaitForSpansAsync(string resource, int count, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            using JsonDocument doc = await GetSpansAsync(resource, Math.Max(count, 200));
            List<JsonElement> spans = FlattenSpans(doc.RootElement);
            if (spans.Count >= count || sw.Elapsed > (timeout ?? TimeSpan.FromSeconds(15))) return spans;
            await Task.Delay(100);
        }
    }

    /// <summary>All spans in a <c>{"data":{"resourceSpans":[…]}}</c> answer, cloned so they outlive the document.</summary>
    public static List<JsonElement> FlattenSpans(JsonElement root)
    {
        var spans = new List<JsonElement>();
        if (!root.TryGetProperty("data", out JsonElement data) || !data.TryGetProperty("resourceSpans", out JsonElement rss)) return spans;
        foreach (JsonElement rs in rss.EnumerateArray())
        {
            foreach (JsonElement ss in rs.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (JsonElement span in ss.GetProperty("spans").EnumerateArray()) spans.Add(span.Clone());
            }
        }
        return spans;
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
        }
        _process.Dispose();
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await _http!.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} -> {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    private async Task WaitUntilReadyAsync(int httpPort, int grpcPort)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < s_startTimeout)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"Aspire dashboard exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using HttpResponseMessage r = await _http!.GetAsync("/api/telemetry/resources");
                if (r.IsSuccessStatusCode && await CanConnectAsync(httpPort) && await CanConnectAsync(grpcPort)) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Aspire dashboard not ready within {s_startTimeout.TotalSeconds} s:\n{Log}");
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length < 64 * 1024) _log.AppendLine(line);
        }
    }
}
