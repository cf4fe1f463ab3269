using System.Text;
using AgentStrace.Analysis.Pricing;

namespace AgentStrace.Tests.Analysis;

/// <summary>
/// A pricing file is read through the generated strict document: the rate rules keep the messages the hand-written
/// reader gave, and what it let through silently (a misspelt or repeated key, a second model of the same name, text
/// after the document) is now an error naming it.
/// </summary>
public sealed class PricingFileTests
{
    private static string Error(string json)
    {
        FormatException? ex = Assert.Throws<FormatException>(() => PricingFile.Parse(Encoding.UTF8.GetBytes(json)));
        return ex!.Message;
    }

    [Test]
    // The messages of the hand-written reader, unchanged.
    [Arguments("[]", "the top level is not an object.")]
    [Arguments("{\"models\": []}", "\"models\" is not an object.")]
    [Arguments("{\"snapshot\": \"d\"}", "no \"models\" object.")]
    [Arguments("{\"models\": {\"x\": {\"input\": -1, \"output\": 2}}}", "'x'.input must be a number >= 0 (USD per million tokens).")]
    [Arguments("{\"models\": {\"x\": {\"input\": 1e400, \"output\": 2}}}", "'x'.input must be a number >= 0 (USD per million tokens).")]
    [Arguments("{\"models\": {\"x\": {\"input\": 1}}}", "'x' needs both \"input\" and \"output\".")]
    [Arguments("{\"models\": {\"x\": {\"input\": 1, \"output\": 2, \"input_above_200k\": 3}}}", "'x' has input_above_200k but no output_above_200k.")]
    [Arguments("{\"models\": {\"x\": {\"input\": 1, \"output\": 2, \"long_context_threshold\": -5}}}", "'x'.long_context_threshold must be a number >= 0 (input tokens).")]
    [Arguments("{\"models\": {\"x\": {\"input\": 1, \"output\": 2, \"fast_multiplier\": -1}}}", "'x'.fast_multiplier must be a number >= 0 (a factor).")]
    // A value of the wrong type: where, and what it must be.
    [Arguments("{\"models\": {\"x\": {\"input\": \"1\", \"output\": 2}}}", "$.models.x.input must be a number.")]
    [Arguments("{\"models\": {\"x\": 5}}", "$.models.x must be an object.")]
    [Arguments("{\"models\": {\"a.b\": {\"input\": 1, \"output\": true}}}", "$.models['a.b'].output must be a number.")]
    // Strict: unknown and repeated keys, a repeated model, lone surrogates, text after the document.
    [Arguments("{\"models\": {\"x\": {\"input\": 1, \"output\": 2, \"inptu\": 3}}}", "$.models.x has an unknown key \"inptu\" (known: input, output, cache_write, cache_write_1h, cache_read, input_above_200k, output_above_200k, cache_write_above_200k, cache_write_1h_above_200k, cache_read_above_200k, long_context_threshold, fast_multiplier, us_geo_multiplier, web_search_per_1000).")]
    [Arguments("{\"extra\": 1, \"models\": {}}", "the document has an unknown key \"extra\" (known: snapshot, models).")]
    [Arguments("{\"models\": {\"x\": {\"input\": 1, \"output\": 2, \"input\": 3}}}", "$.models.x has the key \"input\" twice in one object.")]
    [Arguments("{\"models\": {\"x\": {\"input\": 1, \"output\": 2}, \"x\": {\"input\": 1, \"output\": 2}}}", "$.models has the key \"x\" twice in one object.")]
    [Arguments("{\"models\": {\"x\\ud800\": {\"input\": 1, \"output\": 2}}}", "$.models holds a string that is not valid Unicode (a lone surrogate such as \\ud800, or bytes that are not UTF-8).")]
    [Arguments("{\"snapshot\": \"\\ud800\", \"models\": {}}", "$.snapshot holds a string that is not valid Unicode (a lone surrogate such as \\ud800, or bytes that are not UTF-8).")]
    public async Task Invalid_SaysWhatAndWhere(string json, string expected)
    {
        await Assert.That(Error(json)).IsEqualTo(expected);
    }

    [Test]
    public async Task TextAfterTheDocument_IsAnError()
    {
        await Assert.That(Error("{\"models\": {}} junk")).Contains("after a single JSON value");
    }

    [Test]
    public async Task CommentsTrailingCommasAndAByteOrderMark_AreRead()
    {
        PricingFile file = PricingFile.Parse(Encoding.UTF8.GetBytes("\uFEFF{/* rates */ \"snapshot\": \"2026-09-01\", // date\n \"models\": {\"b\": {\"input\": 1, \"output\": 2,}, \"a\": {\"input\": 0, \"output\": 0},},}"));
        await Assert.That(file.Snapshot).IsEqualTo("2026-09-01");
        // File order is kept: a later file's model replaces an earlier one in the same order.
        await Assert.That(file.Models.Select(m => m.Key).ToList()).IsEquivalentTo(["b", "a"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(file.Models[0].Value.CacheRead).IsEqualTo(1.0);
    }
}
