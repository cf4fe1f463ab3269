using System.Buffers;
using System.Text;

namespace AgentStrace.Otlp.Internal;

/// <summary>Strict percent-decoding for W3C-Baggage-style OTEL variables: a bad escape or invalid UTF-8 is an error.</summary>
internal static class PercentDecoding
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(ReadOnlySpan<char> input, out string decoded)
    {
        decoded = "";
        if (input.IndexOf('%') < 0)
        {
            decoded = input.ToString();
            return true;
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(input.Length * 3);
        try
        {
            int n = 0;
            for (int i = 0; i < input.Length; i++)
            {
                char c = input[i];
                if (c == '%')
                {
                    if (i + 2 >= input.Length || !IsHex(input[i + 1]) || !IsHex(input[i + 2])) return false;
                    rented[n++] = (byte)((HexValue(input[i + 1]) << 4) | HexValue(input[i + 2]));
                    i += 2;
                }
                else
                {
                    n += Encoding.UTF8.GetBytes(input.Slice(i, char.IsHighSurrogate(c) && i + 1 < input.Length ? 2 : 1), rented.AsSpan(n));
                    if (char.IsHighSurrogate(c) && i + 1 < input.Length) i++;
                }
            }
            try
            {
                decoded = s_strictUtf8.GetString(rented, 0, n);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>Lenient decoding for <c>grpc-message</c>: bad escapes are kept as they are.</summary>
    public static string DecodeLenient(string value) => TryDecode(value, out string d) ? d : value;

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
