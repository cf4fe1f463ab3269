using System.Text;

namespace AgentStrace.View;

/// <summary>
/// Reads the Python <c>repr()</c> of a dict that upstream's hooks store as a tool result
/// (<c>{'stdout': '…', 'interrupted': False}</c>), so views can show its text instead of the dict. Only literals are
/// understood (strings, numbers, True/False/None, dicts, lists, tuples); anything else makes the parse fail.
/// </summary>
public static class PyLiteral
{
    public static bool TryParseDict(string text, out Dictionary<string, object?> dict)
    {
        dict = [];
        int i = 0;
        try
        {
            if (Value(text, ref i, 0) is not Dictionary<string, object?> d) return false;
            Skip(text, ref i);
            if (i != text.Length) return false;
            dict = d;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static object? Value(string s, ref int i, int depth)
    {
        if (depth > 32) throw new FormatException();
        Skip(s, ref i);
        if (i >= s.Length) throw new FormatException();
        char c = s[i];
        if (c == '{') return Dict(s, ref i, depth);
        if (c is '[' or '(') return List(s, ref i, depth, c == '[' ? ']' : ')');
        if (c is '\'' or '"') return Str(s, ref i);
        int start = i;
        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '.' or '-' or '+' or '_')) i++;
        string word = s[start..i];
        return word switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ when double.TryParse(word, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) => d,
            _ => throw new FormatException(),
        };
    }

    private static Dictionary<string, object?> Dict(string s, ref int i, int depth)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        i++;
        while (true)
        {
            Skip(s, ref i);
            if (i < s.Length && s[i] == '}') { i++; return d; }
            if (Value(s, ref i, depth + 1) is not string key) throw new FormatException();
            Skip(s, ref i);
            if (i >= s.Length || s[i] != ':') throw new FormatException();
            i++;
            d[key] = Value(s, ref i, depth + 1);
            Skip(s, ref i);
            if (i < s.Length && s[i] == ',') i++;
            else if (i >= s.Length || s[i] != '}') throw new FormatException();
        }
    }

    private static List<object?> List(string s, ref int i, int depth, char close)
    {
        var list = new List<object?>();
        i++;
        while (true)
        {
            Skip(s, ref i);
            if (i < s.Length && s[i] == close) { i++; return list; }
            list.Add(Value(s, ref i, depth + 1));
            Skip(s, ref i);
            if (i < s.Length && s[i] == ',') i++;
            else if (i >= s.Length || s[i] != close) throw new FormatException();
        }
    }

    private static string Str(string s, ref int i)
    {
        char quote = s[i++];
        var sb = new StringBuilder();
        while (i < s.Length && s[i] != quote)
        {
            char c = s[i++];
            if (c != '\\') { sb.Append(c); continue; }
            if (i >= s.Length) throw new FormatException();
            char e = s[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'x' when i + 2 <= s.Length: sb.Append((char)Convert.ToInt32(s.Substring(i, 2), 16)); i += 2; break;
                case 'u' when i + 4 <= s.Length: sb.Append((char)Convert.ToInt32(s.Substring(i, 4), 16)); i += 4; break;
                default: sb.Append(e); break;
            }
        }
        if (i >= s.Length) throw new FormatException();
        i++;
        return sb.ToString();
    }

    private static void Skip(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
    }
}
