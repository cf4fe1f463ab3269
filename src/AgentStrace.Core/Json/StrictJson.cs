using System.Text.Json;

namespace AgentStrace.Json;

/// <summary>
/// Problems a JSON document may hide from a lazy parser until it is edited: a key given twice in one object (which
/// value wins differs between readers) and strings that are not valid Unicode (a lone surrogate such as "\ud800").
/// </summary>
public static class StrictJson
{
    /// <summary>What is wrong with <paramref name="utf8"/> (for "the file …"), or null when it is fine or not JSON at all
    /// (the caller's parser reports syntax errors with their position).</summary>
    public static string? Problem(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 1000, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var keys = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: keys.Push(new HashSet<string>(StringComparer.Ordinal)); break;
                    case JsonTokenType.StartArray: keys.Push(null); break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray: keys.Pop(); break;
                    case JsonTokenType.PropertyName:
                        string name = reader.GetString()!;
                        if (keys.Peek() is { } seen && !seen.Add(name)) return $"has the key \"{name}\" twice in one object (byte {reader.TokenStartIndex})";
                        break;
                    case JsonTokenType.String: reader.GetString(); break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            return "holds a string that is not valid Unicode (a lone surrogate such as \\ud800)";
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }
}
