using AgentStrace.Analysis.Pricing;
using AgentStrace.Model;

namespace AgentStrace.Analysis;

/// <summary>
/// Prices a session from a stream of its events. Model calls are llm_request/llm_response pairs (matched by the
/// response's <c>parent_id</c>, else first-in first-out); their usage comes from <see cref="LlmUsage"/>. A call with
/// no recorded usage is estimated with <see cref="HeuristicTokens"/>; a session without any model call falls back
/// to upstream's whole-session heuristic. Either way the result is marked as estimated.
/// </summary>
public sealed class CostAccumulator(CostOptions options, Action<LlmCall>? onCall = null)
{
    private readonly List<TraceEvent> _pending = [];
    private readonly List<LlmCall> _calls = [];
    private long _heuristicIn, _heuristicOut;
    private string _sessionModel = "";

    /// <summary>The first model named by the session (session_start or a model call), or "".</summary>
    public string SessionModel => _sessionModel;

    public void Add(TraceEvent e)
    {
        if (HeuristicTokens.IsInput(e.Type)) _heuristicIn += HeuristicTokens.Of(e.Data);
        else if (HeuristicTokens.IsOutput(e.Type)) _heuristicOut += HeuristicTokens.Of(e.Data);

        switch (e.Type)
        {
            case EventType.SessionStart:
                if (_sessionModel.Length == 0) _sessionModel = e.Data.GetString("model"u8);
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

    public SessionCost Finish()
    {
        foreach (TraceEvent request in _pending) AddCall(request, null);
        _pending.Clear();
        var cost = new SessionCost();
        if (options.ForceHeuristic || _calls.Count == 0)
        {
            cost.Method = "heuristic";
            ModelCost line = Line(cost, HeuristicModel());
            line.InputTokens = _heuristicIn;
            line.OutputTokens = _heuristicOut;
            Price(line);
            return cost;
        }
        foreach (LlmCall call in _calls)
        {
            ModelCost line = Line(cost, options.Model is { Length: > 0 } forced ? forced : call.Model);
            line.Calls++;
            if (call.Estimated) line.EstimatedCalls++;
            line.InputTokens += call.Usage.UncachedInputTokens;
            line.OutputTokens += call.Usage.OutputTokens;
            line.CacheReadTokens += call.Usage.CacheReadTokens;
            line.CacheWriteTokens += call.Usage.CacheCreationTokens;
        }
        foreach (ModelCost line in cost.Models) Price(line);
        if (cost.EstimatedCalls > 0) cost.Method = "mixed";
        return cost;
    }

    private void AddCall(TraceEvent? request, TraceEvent? response)
    {
        LlmUsage usage = LlmUsage.From(request?.Data, response?.Data ?? Json.JsonObject.Empty);
        bool estimated = !usage.HasInput && !usage.HasOutput;
        if (estimated)
        {
            long input = request is null ? 0 : HeuristicTokens.Of(request.Data);
            long output = response is null ? 0 : HeuristicTokens.Of(response.Data);
            usage = new LlmUsage(input, output, 0, 0, false, false);
        }
        string model = response?.Data.GetString("model"u8) is { Length: > 0 } rm ? rm
            : request?.Data.GetString("model"u8) is { Length: > 0 } qm ? qm
            : _sessionModel.Length > 0 ? _sessionModel : "unknown";
        double? duration = response?.DurationMs is { } ms ? ms / 1000.0
            : request is not null && response is not null ? Math.Max(0, response.Timestamp - request.Timestamp) : null;
        var call = new LlmCall(model, usage, estimated, duration, (response ?? request)!.Timestamp);
        _calls.Add(call);
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

    private void Price(ModelCost line)
    {
        ModelPrice price;
        if (options.CustomPrice is { } custom)
        {
            price = custom;
            line.PriceKey = "custom";
        }
        else if (BuiltInPrices.TryHeuristic(line.Model, out price))
        {
            line.PriceKey = line.Model;
        }
        else if (options.Table.TryFind(line.Model, out price, out string key))
        {
            line.PriceKey = key;
        }
        else
        {
            line.Priced = false;
            return;
        }
        line.Priced = true;
        line.Usd = price.Cost(line.InputTokens, line.OutputTokens, line.CacheWriteTokens, line.CacheReadTokens);
    }
}
