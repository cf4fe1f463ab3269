using AgentStrace.Errors;
using AgentStrace.Export;
using AgentStrace.Otlp.Transport;

namespace AgentStrace.Langfuse;

public static partial class LangfuseExport
{
    /// <summary>Progress lines (upstream's <c>Langfuse: exported session …</c>), the summary and the failure messages.</summary>
    private sealed class Run(LangfuseConfig config, OtlpSettings settings, bool dryRun)
    {
        private int _sessions;
        private long _spans, _scores;

        public bool DryRun => dryRun;

        public void Exported(PlannedSession planned, LangfuseTraceContext context, TraceExporter.SessionResult result, int scores, bool withScores)
        {
            _sessions++;
            _spans += result.Spans;
            _scores += scores;
            string what = $"{result.Events} events, {result.Spans} spans" + (withScores ? $", {scores} score{(scores == 1 ? "" : "s")}" : "");
            if (context.SessionId != planned.Session.Id)
            {
                what += $"; in the trace of session {Short(context.SessionId)}";
            }
            Console.Error.WriteLine($"Langfuse: {(dryRun ? "dry run: would export" : "exported")} session {Short(planned.Session.Id)} ({what})");
        }

        public void Summary(int total, int requests)
        {
            Console.Out.WriteLine($"Langfuse: {_sessions}/{total} sessions {(dryRun ? "ready (dry run, nothing sent)" : "exported")}.");
            string scores = _scores > 0 ? $" and {_scores} score(s) to {OtlpUrls.Display(config.ScoresUrl)}" : "";
            Output.Text.Warn($"agent-strace: {(dryRun ? "would send" : "sent")} {_spans} spans in {requests} request(s) to {settings.DisplayUrl}{scores}.");
        }

        public ExportException TraceFailure(PlannedSession planned, OtlpSendResult result) =>
            new(result.HttpStatus is 401 or 403
                ? KeysRejected(result.HttpStatus)
                : $"Langfuse export of session {Short(planned.Session.Id)} failed: {result.Message.TrimEnd()}{Done()}");

        public ExportException ScoreFailure(PlannedSession planned, LangfuseScore score, OtlpSendResult result) =>
            new(result.HttpStatus is 401 or 403
                ? KeysRejected(result.HttpStatus)
                : $"Langfuse score '{score.Name}' of session {Short(planned.Session.Id)} failed: {result.Message.TrimEnd()}{Done()}");

        private string KeysRejected(int status) =>
            $"Langfuse at {config.DisplayHost} rejected the API keys (HTTP {status}): check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY "
            + $"(or --langfuse-public-key / --langfuse-secret-key) and that they belong to a project on this host.{Done()}";

        private string Done() => _sessions > 0 ? $" ({_sessions} session(s) were exported before the failure.)" : "";

        private static string Short(string id) => id.Length > 12 ? id[..12] : id;
    }
}
