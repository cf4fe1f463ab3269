using AgentStrace.Analysis.Pricing;
using AgentStrace.Json;
using AgentStrace.Model;

namespace AgentStrace.Analysis;

/// <summary>
/// Prices a session from a stream of its events. Model calls are llm_request/llm_response pairs (matched by the
/// response's <c>parent_id</c>, else first-in first-out); their usage comes from <see cref="LlmUsage"/>. A call with
/// no recorded usage is estimated with <see cref="HeuristicUsage"/>; a session without any model call falls back
/// to upstream's estimate from the size of the session's inputs and outputs. Either way the result is marked as estimated.
/// </summary>
public sealed class CostAccumulator(CostOptions options, Action<ModelCall>? onCall = null)
{
    private readonly List<TraceEvent> _pending = [];
    private readonly List<(ModelCall Call, RequestUsage Billed)> _calls = [];
    private readonly Dictionary<string, (bool Found, ModelPrice Price, string Key)> _priceCache = new(StringComparer.Ordinal);
    private bool _usageComplete;
    private long _heuristicIn, _heuristicOut;
    private string _sessionModel = "";

    /// <summary>The first model named by the session (session_start or a model call), or "".</summary>
    public string SessionModel => _sessionModel;

    /// <summary>
    /// False once the session's price no longer depends on its other events: a model call is known (so the
    /// whole-session estimate will not be used) and no estimate is forced. From then on only session_start,
    /// session_end and model calls matter (<see cref="Needs"/>).
    /// </summary>
    public bool NeedsEveryEvent => options.ForceHeuristic || (_calls.Count == 0 && _pending.Count == 0 && !_usageComplete);

    /// <summary>Whether an event of this type can still change the result.</summary>
    public bool Needs(EventType type) =>
        type is EventType.SessionStart or EventType.SessionEnd or EventType.LlmRequest or EventType.LlmResponse || NeedsEveryEvent;

    public void Add(TraceEvent e)
    {
        // The whole-session estimate is only summed while it may still be used: transcoding every payload to measure
        // it was most of the cost of pricing a session.
        if (NeedsEveryEvent)
        {
            if (HeuristicUsage.IsInput(e.Type)) _heuristicIn += HeuristicUsage.Of(e.Data);
            else if (HeuristicUsage.IsOutput(e.Type)) _heuristicOut += HeuristicUsage.Of(e.Data);
        }

        switch (e.Type)
        {
            case EventType.SessionStart:
                if (_sessionModel.Length == 0) _sessionModel = e.Data.GetString("model"u8);
                break;
            case EventType.SessionEnd:
                // An imported transcript names every request it billed: no model call means $0, not an estimate.
                if (e.Data.GetString("usage_source"u8) == "transcript") _usageComplete = true;
                break;
            case EventType.LlmRequest:
                _pending.Add(e);
                if (_sessionModel.Length == 0) _sessionModel = e.Data.GetString("model"u8);
                break;
            case EventType.LlmResponse:
                int i = e.ParentId.Length > 0 ? _pending.FindIndex(p => p.EventId == e.ParentId) : -1;
                if (i < 0 && e.ParentId.Length == 0 && _pending.Count > 0) i = 0;
                TraceEvent? request = i >= 0 ? _pending[i] : null;
                if (i >= 0) _pending.RemoveAt(i);
                AddCall(request, e);
                break;
        }
    }

    /// <summary>Every priced request after <see cref="Finish"/> (one estimated entry for a heuristic session, with no timestamp).</summary>
    public List<PricedCall> PricedCalls { get; } = [];

    public SessionCost Finish()
    {
        foreach (TraceEvent request in _pending) AddCall(request, null);
        _pending.Clear();
        var cost = new SessionCost();
        if (options.ForceHeuristic || (_calls.Count == 0 && !_usageComplete))
        {
            cost.Method = "heuristic";
            ModelCost line = Line(cost, HeuristicModel());
            line.InputTokens = _heuristicIn;
            line.OutputTokens = _heuristicOut;
            if (TryPrice(line))
            {
                line.Usd = line.Price.Cost(line.InputTokens, line.OutputTokens, 0, 0);
            }
            PricedCalls.Add(new PricedCall(line.Model, double.NaN, new RequestUsage(line.InputTokens, line.OutputTokens, 0, 0, 0), line.Usd, true));
            return cost;
        }
        foreach (var (call, billed) in _calls)
        {
            ModelCost line = Line(cost, options.Model is { Length: > 0 } forced ? forced : call.Model);
            if (line.Calls == 0 && line.EstimatedCalls == 0) TryPrice(line);
            line.Calls++;
            if (call.Estimated) line.EstimatedCalls++;
            line.InputTokens += billed.Input;
            line.OutputTokens += billed.Output;
            line.CacheReadTokens += billed.CacheRead;
            line.CacheWriteTokens += billed.CacheWrite;
            line.CacheWrite1hTokens += billed.CacheWrite1h;
            line.WebSearchRequests += billed.WebSearchRequests;
            double usd = 0;
            if (line.Priced)
            {
                if (line.Price.IsLongContext(billed)) line.LongContextCalls++;
                if (billed.Speed == "fast") line.FastCalls++;
                usd = line.Price.Cost(billed);
                line.Usd += usd;
            }
            PricedCalls.Add(new PricedCall(line.Model, call.Timestamp, billed, usd, call.Estimated));
        }
        if (cost.EstimatedCalls > 0) cost.Method = "mixed";
        return cost;
    }

    private void AddCall(TraceEvent? request, TraceEvent? response)
    {
        LlmUsage usage = LlmUsage.From(request?.Data, response?.Data ?? RawJsonObject.Empty);
        bool estimated = !usage.HasInput && !usage.HasOutput;
        if (estimated)
        {
            long input = request is null ? 0 : HeuristicUsage.Of(request.Data);
            long output = response is null ? 0 : HeuristicUsage.Of(response.Data);
            usage = new LlmUsage(input, output, 0, 0, false, false);
        }
        string model = response?.Data.GetString("model"u8) is { Length: > 0 } rm ? rm
            : request?.Data.GetString("model"u8) is { Length: > 0 } qm ? qm
            : _sessionModel.Length > 0 ? _sessionModel : "unknown";
        double? duration = response?.DurationMs is { } ms ? ms / 1000.0
            : request is not null && response is not null ? Math.Max(0, response.Timestamp - request.Timestamp) : null;
        var call = new ModelCall(model, usage, estimated, duration, (response ?? request)!.Timestamp);
        RawJsonObject usageObject = response?.Data.GetObject("usage"u8) ?? RawJsonObject.Empty;
        _calls.Add((call, RequestUsage.From(usageObject, usage.UncachedInputTokens, usage.OutputTokens, usage.CacheCreationTokens, usage.CacheReadTokens)));
        onCall?.Invoke(call);
    }

    private string HeuristicModel() =>
        options.Model is { Length: > 0 } m ? m
        : _sessionModel.Length > 0 && options.Table.TryFind(_sessionModel, out _, out _) ? _sessionModel
        : "sonnet";

    private static ModelCost Line(SessionCost cost, string model)
    {
        ModelCost? line = cost.Models.Find(m => m.Model == model);
        if (line is null)
        {
            line = new ModelCost { Model = model };
            cost.Models.Add(line);
        }
        return line;
    }

    /// <summary>Finds the line's price (custom, heuristic key, table); false when the model has none.</summary>
    private bool TryPrice(ModelCost line)
    {
        if (!_priceCache.TryGetValue(line.Model, out var found))
        {
            found = Lookup(line.Model);
            _priceCache[line.Model] = found;
        }
        line.Priced = found.Found;
        line.Price = found.Price;
        line.PriceKey = found.Key;
        return found.Found;
    }

    private (bool Found, ModelPrice Price, string Key) Lookup(string model)
    {
        if (options.CustomPrice is { } custom) return (true, custom, "custom");
        // Claude Code's local placeholder and error messages: never billed.
        if (model == SyntheticModel) return (true, new ModelPrice(0, 0, 0, 0), "synthetic");
        if (BuiltInPrices.TryHeuristic(model, out ModelPrice heuristic)) return (true, heuristic, model);
        if (options.Table.TryFind(model, out ModelPrice price, out string key)) return (true, price, key);
        return (false, default, "");
    }

    public const string SyntheticModel = "<synthetic>";
}
