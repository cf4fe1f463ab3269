using System.Net;
using System.Net.Sockets;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>Serves one folder over HTTP on 127.0.0.1 and a free port, like a release download URL.</summary>
public sealed class StaticFileServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    public StaticFileServer(string root)
    {
        _root = root;
        for (int attempt = 0; ; attempt++)
        {
            int port = AgentStrace.Testing.FreePort.Next();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                BaseUrl = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // A failed Start disposes the listener (the port was taken meanwhile): retry with a new one.
                _listener = new HttpListener();
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; } = "";

    public int Requests => _requests;

    private int _requests;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            string name = Uri.UnescapeDataString(ctx.Request.Url!.AbsolutePath.TrimStart('/'));
            string path = Path.Combine(_root, name);
            try
            {
                if (name.Length == 0 || name.Contains('/') || name.Contains("..") || !File.Exists(path))
                {
                    ctx.Response.StatusCode = 404;
                }
                else
                {
                    byte[] body = await File.ReadAllBytesAsync(path);
                    ctx.Response.ContentLength64 = body.Length;
                    await ctx.Response.OutputStream.WriteAsync(body);
                }
                ctx.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
            }
        }
    }


    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop then Close makes the managed HttpListener look the port up again, and when another test
        // has taken that port meanwhile, Close throws "Address already in use".
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
