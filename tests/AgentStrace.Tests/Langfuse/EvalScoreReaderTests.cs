using AgentStrace.Analysis;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Langfuse;

/// <summary>Upstream's <c>_load_eval_scores</c> cases, as its Langfuse tests pin them.</summary>
public sealed class EvalScoreReaderTests
{
    private static List<EvalScore> Read(string? content, out string? problem)
    {
        using var dir = new TempDir();
        if (content is not null) File.WriteAllText(Path.Combine(dir.Path, "eval.json"), content);
        return EvalScoreReader.Read(dir.Path, out problem);
    }

    [Test]
    public async Task Missing_NoScoresNoProblem()
    {
        var scores = Read(null, out string? problem);
        await Assert.That(scores).IsEmpty();
        await Assert.That(problem).IsNull();
    }

    [Test]
    public async Task Results_JudgeScoreThresholdPassedKept()
    {
        var scores = Read("""{"results":[{"scorer":"no_errors","score":1.0,"threshold":1.0,"passed":true},{"scorer":"cost_under","score":0.8,"threshold":0.9,"passed":false}]}""", out _);
        await Assert.That(scores.Count).IsEqualTo(2);
        await Assert.That(scores[0]).IsEqualTo(new EvalScore("no_errors", 1.0, 1.0, true, ""));
        await Assert.That(scores[1]).IsEqualTo(new EvalScore("cost_under", 0.8, 0.9, false, ""));
        await Assert.That(scores[1].Comment).IsEqualTo("threshold=0.9 passed=False");
    }

    [Test]
    public async Task NotJson_NoScoresWithProblem()
    {
        var scores = Read("not json", out string? problem);
        await Assert.That(scores).IsEmpty();
        await Assert.That(problem).IsNotNull();
    }

    [Test]
    public async Task JudgesFallback_Defaults_PassedFromThreshold()
    {
        var scores = Read("""{"results":[],"judges":[{"name":"helpful","score":"0.5"},{"score":2},{"scorer":"","name":"","threshold":3}]}""", out _);
        await Assert.That(scores.Select(s => s.Judge)).IsEquivalentTo(["helpful", "unknown", "unknown"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(scores[0]).IsEqualTo(new EvalScore("helpful", 0.5, 1.0, false, ""));
        await Assert.That(scores[1]).IsEqualTo(new EvalScore("unknown", 2.0, 1.0, true, ""));
        await Assert.That(scores[2]).IsEqualTo(new EvalScore("unknown", 0.0, 3.0, false, ""));
    }

    [Test]
    [Arguments("""[1,2]""")]
    [Arguments("""{"results":{"a":1}}""")]
    [Arguments("""{"results":[1]}""")]
    [Arguments("""{"results":[{"scorer":"x","score":null}]}""")]
    [Arguments("""{"results":[{"scorer":"x","score":"high"}]}""")]
    public async Task WrongShape_NoScoresWithProblem(string content)
    {
        var scores = Read(content, out string? problem);
        await Assert.That(scores).IsEmpty();
        await Assert.That(problem).IsNotNull();
    }
}
