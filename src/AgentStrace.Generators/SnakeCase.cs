using System.Globalization;
using System.Text;

namespace AgentStrace.Generators;

/// <summary>
/// System.Text.Json's <c>JsonNamingPolicy.SnakeCaseLower</c>, so generated names are the ones the serializer wrote:
/// a separator where a word starts (<c>SpoolGeneration</c> → <c>spool_generation</c>, <c>P50Ms</c> → <c>p50_ms</c>),
/// capital runs kept together (<c>XMLReader</c> → <c>xml_reader</c>).
/// </summary>
internal static class SnakeCase
{
    private enum State { NotStarted, UppercaseLetter, LowercaseLetterOrDigit, SpaceSeparator }

    public static string Lower(string name)
    {
        var output = new StringBuilder(name.Length + 8);
        var state = State.NotStarted;
        string trimmed = name.Trim();
        for (int i = 0; i < trimmed.Length; i++)
        {
            char current = trimmed[i];
            switch (char.GetUnicodeCategory(current))
            {
                case UnicodeCategory.UppercaseLetter:
                    if (state is State.LowercaseLetterOrDigit or State.SpaceSeparator) output.Append('_');
                    else if (state == State.UppercaseLetter && i + 1 < trimmed.Length && char.IsLower(trimmed[i + 1])) output.Append('_');
                    output.Append(char.ToLowerInvariant(current));
                    state = State.UppercaseLetter;
                    break;
                case UnicodeCategory.LowercaseLetter:
                case UnicodeCategory.DecimalDigitNumber:
                    if (state == State.SpaceSeparator) output.Append('_');
                    output.Append(current);
                    state = State.LowercaseLetterOrDigit;
                    break;
                case UnicodeCategory.SpaceSeparator:
                    if (state != State.NotStarted) state = State.SpaceSeparator;
                    break;
                default:
                    output.Append(current);
                    state = State.NotStarted;
                    break;
            }
        }
        return output.ToString();
    }
}
