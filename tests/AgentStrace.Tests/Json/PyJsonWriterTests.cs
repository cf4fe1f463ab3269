using System.Text;
using AgentStrace.Json;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Json;

public sealed class PyJsonWriterTests
{
    public static IEnumerable<Func<(int Line, string Json)>> PythonLines()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Repo.PythonJson, "events.ndjson"));
        for (int i = 0; i < lines.Length; i++)
        {
            int n = i + 1;
            string l = lines[i];
            yield return () => (n, l);
        }
    }

    [Test]
    [MethodDataSource(nameof(PythonLines))]
    public async Task Transcode_PythonVector_ReproducesBytes((int Line, string Json) vector)
    {
        // json.dumps(json.loads(line), separators=(",", ":")) == line for every vector.
        string again = PyJsonTranscoder.ToPython(Encoding.UTF8.GetBytes(vector.Json), PyJsonStyle.Compact);
        await Assert.That(again).IsEqualTo(vector.Json);
    }

    [Test]
    [Arguments("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}")]
    [Arguments("{\"tool_input\":{\"tool_name\":\"Bash\",\"x\":[{\"k\":1,\"k\":{\"z\":1,\"z\":2}}],\"tool_name\":\"Write\"},\"tool_name\":\"Read\"}",
        "{\"tool_input\":{\"tool_name\":\"Write\",\"x\":[{\"k\":{\"z\":2}}]},\"tool_name\":\"Read\"}")]
    [Arguments("{\"\\u0061\":1,\"a\":2}", "{\"a\":2}")]
    [Arguments("[{\"a\":1},{\"a\":2,\"a\":{\"b\":1,\"c\":2,\"b\":3}}]", "[{\"a\":1},{\"a\":{\"b\":3,\"c\":2}}]")]
    [Arguments("{\"a\":{\"a\":{\"a\":1,\"a\":2},\"a\":3},\"b\":1}", "{\"a\":{\"a\":3},\"b\":1}")]
    [Arguments("{\"a\":1,\"b\":{\"c\":[1,2]}}", "{\"a\":1,\"b\":{\"c\":[1,2]}}")]
    public async Task Transcode_RepeatedKey_KeepsTheLastValueAtTheFirstPlace(string json, string python)
    {
        // Expected: Python 3's json.dumps(json.loads(json), separators=(",", ":")).
        await Assert.That(PyJsonTranscoder.ToPython(Encoding.UTF8.GetBytes(json), PyJsonStyle.Compact)).IsEqualTo(python);
    }

    [Test]
    public async Task Transcode_RepeatedKeysNestedPastTheLimit_AreKeptAsWritten_WithoutRecursingThatDeep()
    {
        // 4,000 objects inside one another, each repeating a key: written as they are (no stack of 4,000 calls).
        var deep = new StringBuilder();
        for (int i = 0; i < 4000; i++) deep.Append("{\"a\":0,\"a\":");
        deep.Append('1').Append('}', 4000);
        string text = deep.ToString();
        await Assert.That(PyJsonTranscoder.ToPython(Encoding.UTF8.GetBytes(text), PyJsonStyle.Compact)).IsEqualTo(text);
    }

    [Test]
    public async Task Transcode_PythonMeta_ReproducesIndentedBytes()
    {
        byte[] meta = File.ReadAllBytes(Path.Combine(Repo.PythonJson, "meta.json"));
        await Assert.That(PyJsonTranscoder.ToPython(meta, PyJsonStyle.Indented)).IsEqualTo(Encoding.UTF8.GetString(meta));
    }

    [Test]
    public async Task DefaultStyle_UsesPythonSeparators()
    {
        string s = PyJsonTranscoder.ToPython("{\"a\":[1,2.0,\"\u00e9\"],\"b\":{}}"u8, PyJsonStyle.Default);
        await Assert.That(s).IsEqualTo("{\"a\": [1, 2.0, \"\\u00e9\"], \"b\": {}}");
    }

    [Test]
    public async Task Quote_EscapesLikeEnsureAscii()
    {
        await Assert.That(PyJsonWriter.Quote("a\u007f\u2028😀\"\\\n")).IsEqualTo("\"a\\u007f\\u2028\\ud83d\\ude00\\\"\\\\\\n\"");
    }

    [Test]
    public async Task Repr_MatchesPythonStr()
    {
        var obj = new RawJsonObject("{\"x\":{\"a\":1,\"b\":[true,null,\"it's\"],\"c\":2.0}}"u8.ToArray());
        await Assert.That(obj.Get("x"u8).ToPythonStr()).IsEqualTo("{'a': 1, 'b': [True, None, \"it's\"], 'c': 2.0}");
    }
}
