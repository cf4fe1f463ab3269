namespace AgentStrace.Langfuse;

/// <summary>One judge result from a session's <c>eval.json</c> (upstream's Langfuse export).</summary>
public sealed record EvalScore(string Judge, double Score, double Threshold, bool Passed, string Reason)
{
    /// <summary>Upstream's score comment, Python formatting: <c>threshold=1.0 passed=False</c>.</summary>
    public string Comment => $"threshold={Json.PyFloat.Format(Threshold)} passed={(Passed ? "True" : "False")}";
}
