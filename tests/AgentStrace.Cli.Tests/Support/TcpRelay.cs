using System.Net;
using System.Net.Sockets;

namespace AgentStrace.Cli.Tests.Support;

/// <summary>
/// A loopback TCP relay in front of a real collector, for outage tests: while stopped its port refuses connections
/// (the collector is "down"); started, it forwards both ways, holding each answer back by <see cref="Delay"/> so a
/// shipper can be killed while a request is in flight. The port stays the same across stop and start.
/// </summary>
public sealed class TcpRelay(int targetPort) : IDisposable
{
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _cts;

    public int Port { get; } = AgentStrace.Testing.FreePort.Next();
    public string Url => $"http://127.0.0.1:{Port}";
    public TimeSpan Delay { get; set; }

    public void Start()
    {
        _cts = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _cts.Token);
    }

    public void Stop()
    {
        _cts?.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (TcpClient c in _open) c.Dispose();
            _open.Clear();
        }
        _listener = null;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            _ = RelayAsync(client, ct);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken ct)
    {
        using var upstream = new TcpClient();
        lock (_open) _open.Add(client);
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, targetPort, ct);
            Task up = PumpAsync(client.GetStream(), upstream.GetStream(), TimeSpan.Zero, ct);
            Task down = PumpAsync(upstream.GetStream(), client.GetStream(), Delay, ct);
            await Task.WhenAny(up, down);
        }
        catch (Exception) { }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, TimeSpan delay, CancellationToken ct)
    {
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int n = await from.ReadAsync(buffer, ct);
            if (n == 0) return;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
            await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }

    public void Dispose() => Stop();
}
