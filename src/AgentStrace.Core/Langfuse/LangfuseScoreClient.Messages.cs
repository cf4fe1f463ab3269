using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AgentStrace.Langfuse;

/// <summary>Turning responses and network errors into one readable line.</summary>
public sealed partial class LangfuseScoreClient
{
    private const int MaxMessageChars = 200;

    /// <summary>Langfuse answers errors as JSON (<c>{"message": …}</c> or <c>{"error": …}</c>); anything else is shown as text.</summary>
    private static string ServerMessage(byte[] body)
    {
        string? text = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (string name in (string[])["message", "error"])
                {
                    if (doc.RootElement.TryGetProperty(name, out JsonElement v))
                    {
                        text = v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
                        break;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }
        return OneLine(text ?? Encoding.UTF8.GetString(body));
    }

    private string NetworkReason(HttpRequestException ex)
    {
        SocketError? socket = (ex.InnerException as SocketException)?.SocketErrorCode;
        return (ex.HttpRequestError, socket) switch
        {
            (_, SocketError.ConnectionRefused) => $"connection refused: is Langfuse running at {_url.Host}:{_url.Port}?",
            (HttpRequestError.NameResolutionError, _) => $"cannot resolve host '{_url.Host}': check --langfuse-host / LANGFUSE_HOST",
            (HttpRequestError.SecureConnectionError, _) => "TLS handshake failed: " + OneLine(ex.InnerException?.Message ?? ex.Message),
            _ => OneLine(ex.InnerException?.Message ?? ex.Message),
        };
    }

    private static string OneLine(string text) => Output.Text.OneLine(text, MaxMessageChars);
}
