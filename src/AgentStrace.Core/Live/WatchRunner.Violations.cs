using System.Globalization;
using AgentStrace.Capture;
using AgentStrace.FileSystem;
using AgentStrace.Live.Watchdog;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Live;

// The watchdog's actions (as upstream's watch): alert to stderr and alerts.log; kill = stop the agent, postmortem, ERROR root.
public sealed partial class WatchRunner
{
    public const string AlertsLog = "alerts.log";

    private async Task HandleViolationAsync(LiveSession s, Violation v, CancellationToken cancellationToken)
    {
        _violations++;
        WatchdogLimits limits = _options.Limits;
        Alert($"{v.Message} [session {s.Id}]");
        if (limits.OnViolation != ViolationAction.Kill) return;

        SessionMeta meta = ReadMetaOr(s);
        AgentProcess? agent = AgentProcess.Read(s.Info.Directory);
        string grace = limits.KillGraceSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (limits.DryRun)
        {
            Console.Error.WriteLine($"agent-strace: watch: [dry-run] would stop agent process {(agent is not null ? agent.Pid.ToString(CultureInfo.InvariantCulture) : "(none recorded: no " + AgentProcess.FileName + ")")} (SIGTERM, then SIGKILL after {grace}s), write {Postmortem.FileName} and close the root span of session {s.Id} as ERROR");
            return;
        }
        if (agent is null)
        {
            Alert($"cannot stop the agent of session {s.Id}: no agent process was recorded at capture ({AgentProcess.FileName}; sessions recorded by the agent-strace hooks have one)");
            return;
        }
        // The pid alone may name another process by now (the agent crashed and the pid was reused, or the record was
        // forged): signal only the process recorded at capture, same start time and executable.
        if (!agent.IsStillRunning(out string why))
        {
            Alert($"refusing to signal pid {agent.Pid} for session {s.Id}: {why}");
            return;
        }
        string done = await AgentKiller.KillAsync((int)agent.Pid, TimeSpan.FromSeconds(limits.KillGraceSeconds), cancellationToken);
        Alert($"{done} [session {s.Id}]");
        double now = Clock.Now();
        try
        {
            string path = Postmortem.Write(s.Info.Directory, s.Id, v.Message, meta.StartedAt, now, s.Watchdog);
            Warn($"postmortem written to {path}");
        }
        catch (IOException ex)
        {
            Warn($"cannot write {Postmortem.FileName} for session {s.Id}: {ex.Message}");
        }
        s.Meta = meta;
        await FinishAsync(s, "watchdog: " + v.Message, cancellationToken);
    }

    private SessionMeta ReadMetaOr(LiveSession s)
    {
        try
        {
            return MetaJson.Read(s.Info.MetaPath);
        }
        catch (Exception ex) when (ex is Errors.AgentStraceException or IOException)
        {
            return s.Meta;
        }
    }

    /// <summary>stderr always; <c>alerts.log</c> (<c>"&lt;UTC ISO&gt;  &lt;message&gt;"</c>, upstream's format) unless --dry-run.</summary>
    private void Alert(string message)
    {
        Output.Text.Warn("watch alert: " + message);
        if (_options.Limits.DryRun) return;
        try
        {
            string line = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "  " + message + "\n";
            SafeFile.AppendAllText(Path.Combine(_store.Root, AlertsLog), line);
        }
        catch (IOException ex)
        {
            Report("alerts-io", $"cannot append to {AlertsLog}: {ex.Message}");
        }
    }
}
