using System.Collections.Concurrent;

namespace AgentStrace.Testing;

/// <summary>
/// One test's view of the shared <see cref="FakeCollector"/>: its own scripted responses and recorded requests,
/// selected by the <c>x-fake-scope</c> request header so tests can run in parallel against one server.
/// </summary>
public sealed class FakeScope(FakeCollector collector, string id)
{
    private readonly ConcurrentQueue<FakeResponse> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public string Id { get; } = id;
    public FakeCollector Collector { get; } = collector;

    /// <summary>The header that routes a request to this scope, in <c>--header</c> form.</summary>
    public string HeaderArgument => $"{FakeCollector.ScopeHeader}: {Id}";

    public KeyValuePair<string, string> Header => new(FakeCollector.ScopeHeader, Id);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Answers the next requests in order; afterwards every request gets 200 OK.</summary>
    public FakeScope Enqueue(params FakeResponse[] responses)
    {
        foreach (FakeResponse r in responses) _script.Enqueue(r);
        return this;
    }

    internal FakeResponse Next() => _script.TryDequeue(out FakeResponse? r) ? r : FakeResponse.Ok();

    internal void Record(RecordedRequest request) => _requests.Enqueue(request);
}
