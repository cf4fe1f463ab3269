using System.Text.RegularExpressions;
using AgentStrace.Testing;

namespace AgentStrace.Tests;

/// <summary>Habits of the test code that a reader cannot see from one test alone.</summary>
public sealed partial class TestHabitsTests
{
    /// <summary>
    /// TUnit's <c>IsEquivalentTo</c> ignores order unless told otherwise, so a permuted list of events, spans or bytes
    /// would pass. Every call names its ordering: <c>Matching</c> where order is part of the result, <c>Any</c> (with a
    /// comment) where it is not.
    /// </summary>
    [Test]
    public async Task IsEquivalentTo_AlwaysNamesItsOrdering()
    {
        string tests = Path.Combine(Repo.Root, "tests");
        var unnamed = new List<string>();
        int calls = 0;
        foreach (string file in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(tests, file);
            if (relative.Split(Path.DirectorySeparatorChar) is var parts && (parts.Contains("bin") || parts.Contains("obj"))) continue;
            string text = File.ReadAllText(file);
            foreach (Match m in EquivalenceCall().Matches(text))
            {
                calls++;
                if (!Arguments(text, m.Index + m.Length).Contains("CollectionOrdering.", StringComparison.Ordinal))
                {
                    unnamed.Add($"{relative}:{text.AsSpan(0, m.Index).Count('\n') + 1}");
                }
            }
        }
        await Assert.That(calls).IsGreaterThan(0);
        await Assert.That(unnamed).IsEmpty();
    }

    /// <summary>The text up to the parenthesis that closes the call opened just before <paramref name="start"/>.</summary>
    private static string Arguments(string text, int start)
    {
        int depth = 1, i = start;
        for (; i < text.Length && depth > 0; i++) depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
        return text[start..i];
    }

    [GeneratedRegex(@"\.Is(?:Not)?EquivalentTo\(")]
    private static partial Regex EquivalenceCall();
}
