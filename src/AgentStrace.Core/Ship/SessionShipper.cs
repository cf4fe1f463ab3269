using AgentStrace.Analysis;
using AgentStrace.Analysis.Pricing;
using AgentStrace.Export;
using AgentStrace.Live;
using AgentStrace.Live.Spool;
using AgentStrace.Model;
using AgentStrace.Spans;
using AgentStrace.Store;

namespace AgentStrace.Ship;

/// <summary>
/// Ships one session tree (the session and its sub-agents, one trace, the same ids as <c>export</c>) up to a hand-over.
/// Spans are rebuilt from the store with the live span builder (as <c>watch</c> does: a span is sent once it is
/// complete, the root only at the session's end), cut into requests at event boundaries, and after each request the
/// collector acknowledged, the new position is written to <see cref="ShipState"/> before the next is sent.
/// </summary>
internal sealed class SessionShipper(TraceStore store, ShipContext ship)
{
    /// <summary>Ships the group's hand-overs; true when everything they name was delivered (or deliberately not).</summary>
    public async Task<bool> ShipAsync(string sessionId, List<OutboxEntry> entries, OtlpSpanDelivery delivery, CancellationToken ct)
    {
        long target = entries.Max(e => e.Offset);
        bool final = entries.Any(e => e.Final);
        ShippedSession state = ship.State.Get(sessionId);
        string dir = store.SessionDir(sessionId);
        if (!File.Exists(Path.Combine(dir, "meta.json")))
        {
            ship.Warn($"session {sessionId} is no longer in the store; removed its {entries.Count} outbox entr{(entries.Count == 1 ? "y" : "ies")}");
            return true;
        }
        if (!string.IsNullOrEmpty(state.Skipped)) return true;
        var info = new SessionInfo(sessionId, dir, MetaJson.Read(Path.Combine(dir, "meta.json")));
        string reason = ship.Filter.Reject(info);
        if (reason.Length == 0 && ship.Filter.NeedsWholeSession)
        {
            if (!final) return true; // judged at the session's end, on all of it; the final hand-over ships everything
            reason = ship.Filter.RejectWhole(info, Judge(info, target));
        }
        if (reason.Length > 0)
        {
            ship.State.Skip(sessionId, target, reason);
            ship.Log($"session {sessionId} stays local ({reason})");
            return true;
        }
        List<PlannedSession> plan = TraceExportPlan.Build(store, [info], ship.Warn);
        IReadOnlyList<KeyValuePair<string, string>> resource = entries[^1].Resource;
        foreach (PlannedSession p in plan)
        {
            bool main = p.Session.Id == sessionId;
            if (!await ShipOneAsync(p, main ? target : long.MaxValue, final, resource, delivery, ct)) return false;
        }
        return !final || ship.Metrics is null || ship.State.Get(sessionId).MetricsSent || await ShipMetricsAsync(info, resource, ship.Metrics, ct);
    }

    // Once the whole tree's spans are delivered: the session's metrics, then the state says so before the entry goes.
    private async Task<bool> ShipMetricsAsync(SessionInfo info, IReadOnlyList<KeyValuePair<string, string>> resource, ShipMetrics metrics, CancellationToken ct)
    {
        DeliveryResult r = await metrics.SendAsync(info, ShipResource.For(resource, info.Meta), ship.Log, ct);
        if (!r.Delivered && !r.Permanent)
        {
            ship.LastError = "metrics: " + (r.Error ?? "unknown error");
            return false;
        }
        if (r.Permanent) ship.Warn($"the collector refused the metrics of session {info.Id} for good ({r.Error}); they are not sent again");
        ship.State.MetricsSent(info.Id);
        return true;
    }

    private async Task<bool> ShipOneAsync(PlannedSession p, long limit, bool final, IReadOnlyList<KeyValuePair<string, string>> resource,
        OtlpSpanDelivery delivery, CancellationToken ct)
    {
        string id = p.Session.Id;
        ShippedSession state = ship.State.Get(id);
        SessionMeta meta = MetaJson.Read(p.Session.MetaPath);
        SpanOptions options = ship.Spans with { ResourceAttributes = [.. ship.Spans.ResourceAttributes, .. ShipResource.For(resource, meta)] };
        var builder = new SessionSpanBuilder(options, meta, p.TraceId, p.RootParentSpanId);
        var pending = new List<(Span Span, long End)>();
        long reached = 0;
        var tail = new EventTail(p.Session.EventsPath, 0);
        bool past = false;
        tail.ReadNew((e, end) =>
        {
            if (past || end > limit) { past = true; return; }
            reached = end;
            builder.Add(e, s =>
            {
                if (end > state.Offset) pending.Add((s, end));
            });
        }, m => ship.Log(m));
        bool finishing = final && !(state.Finished && state.Offset >= reached);
        if (finishing)
        {
            builder.UpdateMeta(meta);
            builder.Finish(s => pending.Add((s, reached)));
        }
        if (pending.Count == 0)
        {
            if (reached > state.Offset || finishing) ship.State.Advance(id, reached, finishing, 0);
            return true;
        }
        int i = 0;
        while (i < pending.Count)
        {
            // A request ends at an event boundary, so the acknowledged position is exact.
            int j = i;
            while (j < pending.Count && (j - i < ship.BatchSpans || pending[j].End == pending[j - 1].End)) j++;
            ResourceSpans rs = builder.NewResource();
            for (int k = i; k < j; k++) rs.Spans.Add(pending[k].Span);
            DeliveryResult result = await SendAsync(delivery, rs, ct);
            if (!result.Delivered && !result.Permanent)
            {
                ship.LastError = result.Error ?? "unknown error";
                return false;
            }
            if (result.Permanent) ship.Warn($"the collector refused {j - i} span(s) of session {id} for good ({result.Error}); they are not sent again");
            else if (result.Rejected > 0) ship.Warn($"the collector rejected {result.Rejected} of {j - i} span(s) of session {id} ({result.Error})");
            bool last = j == pending.Count;
            ship.State.Advance(id, pending[j - 1].End, finishing && last, result.Delivered ? (int)(j - i - result.Rejected) : 0);
            i = j;
        }
        return true;
    }

    private static async Task<DeliveryResult> SendAsync(OtlpSpanDelivery delivery, ResourceSpans rs, CancellationToken ct)
    {
        try
        {
            return await delivery.SendAsync([rs], rs.Spans.Count, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or OperationCanceledException or Errors.AgentStraceException)
        {
            return new DeliveryResult(false, Error: ex.Message);
        }
    }

    /// <summary>Cost and errors of the whole session, for the filters that judge it at its end.</summary>
    private SessionVerdict Judge(SessionInfo info, long limit)
    {
        var cost = new CostAccumulator(CostOptions.Default(PricingTable.Load(store.Root, null)));
        bool errors = info.Meta.Errors > 0;
        new EventTail(info.EventsPath, 0).ReadNew((e, end) =>
        {
            if (end > limit) return;
            cost.Add(e);
            if (e.Type == EventType.Error) errors = true;
        }, _ => { });
        return new SessionVerdict(cost.Finish().TotalUsd, errors);
    }
}

/// <summary>What the whole-session filters look at.</summary>
internal readonly record struct SessionVerdict(double CostUsd, bool HasErrors);
