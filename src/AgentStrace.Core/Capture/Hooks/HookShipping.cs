using System.Diagnostics;
using AgentStrace.Config;
using AgentStrace.FileSystem;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// The hook's part in shipping: at Stop it hands the events written so far to the outbox, at SessionEnd everything
/// (the root span closes then). It never sends and never waits on the network: it writes one small file and, when no
/// shipper holds the lock, starts <c>agent-strace ship --background</c> detached, with no pipe back to the agent.
/// </summary>
public static class HookShipping
{
    public const string LockName = "ship.lock";

    public static void HandOver(HookContext c, ShipConfig ship)
    {
        if (c.Event is not (HookEvent.Stop or HookEvent.SessionEnd) && !(c.Event == HookEvent.SubagentStop && !c.FromSubagent)) return;
        string events = Path.Combine(c.SessionDir, "events.ndjson");
        long offset = File.Exists(events) ? new FileInfo(events).Length : 0;
        var resource = FleetResource.Collect(Environment.GetEnvironmentVariable, ship.User, ship.AnonymizeUser);
        Outbox.Append(c.Store.Root, new OutboxEntry(c.SessionId, offset, c.Event == HookEvent.SessionEnd, Clock.Now(), resource));
        StartShipperIfIdle(c.Store.Root);
    }

    /// <summary>True when no shipper holds the store's lock (the lock is taken and released at once to find out).</summary>
    public static bool ShipperIdle(string storeRoot)
    {
        string path = Path.Combine(Outbox.Dir(storeRoot), LockName);
        try
        {
            using FileStream probe = SafeFile.OpenLocked(path);
            return true;
        }
        catch (IOException) { return false; }
    }

    /// <summary>
    /// Starts the shipper unless one runs. Its standard streams are pipes of this process that close when the hook
    /// exits (the shipper moves them to /dev/null and leaves the hook's session at once), so the agent, which waits
    /// for the hook's stdout to close, never waits for the shipper. A race with another hook at worst starts a second
    /// shipper, which finds the lock taken and exits.
    /// </summary>
    public static void StartShipperIfIdle(string storeRoot)
    {
        if (!ShipperIdle(storeRoot)) return;
        string binary = Environment.ProcessPath ?? throw new InvalidOperationException("cannot determine the agent-strace binary to start the shipper");
        var psi = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = storeRoot,
        };
        foreach (string a in (string[])["--trace-dir", storeRoot, "ship", "--background"]) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the shipper");
        p.StandardInput.Close();
    }
}
