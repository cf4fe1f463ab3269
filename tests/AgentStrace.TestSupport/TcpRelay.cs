using System.Net;
using System.Net.Sockets;

namespace AgentStrace.Testing;

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

    public int Port { get; } = FreePort.Next();
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
        var exchange = new Exchange(this);
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, targetPort, ct);
            Task up = PumpAsync(client.GetStream(), upstream.GetStream(), TimeSpan.Zero, exchange.Forwarded, ct);
            Task down = PumpAsync(upstream.GetStream(), client.GetStream(), Delay, exchange.Answered, ct);
            Task first = await Task.WhenAny(up, down);
            // The client went away (closed, or was killed) while its request had no answer yet.
            if (first == up) exchange.Closed();
        }
        catch (Exception) { }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, TimeSpan delay, Action sent, CancellationToken ct)
    {
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try { n = await from.ReadAsync(buffer, ct); }
            catch (IOException) { return; }
            if (n == 0) return;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
            await to.WriteAsync(buffer.AsMemory(0, n), ct);
            sent();
        }
    }

    private int _inFlight, _requests, _answers, _abandoned;

    /// <summary>Requests (one or more writes of a client before an answer) forwarded to the collector, in total.</summary>
    public int Requests => Volatile.Read(ref _requests);
    /// <summary>Answers delivered back to a client, in total.</summary>
    public int Answers => Volatile.Read(ref _answers);
    /// <summary>Requests forwarded whose answer has not reached the client yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);
    /// <summary>Requests whose client went away (closed or was killed) before their answer reached it: a send in flight was cut.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    // One connection: HTTP/1.1 keeps one request outstanding at a time, so "bytes went up since the last answer" is a request in flight.
    private sealed class Exchange(TcpRelay relay)
    {
        private readonly object _gate = new();
        private bool _pending;

        public void Forwarded()
        {
            lock (_gate)
            {
                if (_pending) return;
                _pending = true;
                Interlocked.Increment(ref relay._requests);
                Interlocked.Increment(ref relay._inFlight);
            }
        }

        public void Answered()
        {
            lock (_gate)
            {
                if (!_pending) return;
                _pending = false;
                Interlocked.Increment(ref relay._answers);
                Interlocked.Decrement(ref relay._inFlight);
            }
        }

        public void Closed()
        {
            lock (_gate)
            {
                if (!_pending) return;
                _pending = false;
                Interlocked.Increment(ref relay._abandoned);
                Interlocked.Decrement(ref relay._inFlight);
            }
        }
    }

    public void Dispose() => Stop();
}
