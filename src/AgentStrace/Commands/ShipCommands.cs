using System.Globalization;
using AgentStrace.Errors;
using AgentStrace.FileSystem;
using AgentStrace.Ship;
using ConsoleAppFramework;

namespace AgentStrace.Cli.Commands;

internal sealed class ShipCommands
{
    /// <summary>Deliver the outbox (sessions the hooks handed over) to the target set by 'setup --ship-to'; exits when it is empty.</summary>
    /// <param name="background">Run detached, as the hooks start it: one per store, quiet (log: .outbox/ship.log), backs off while the collector is down.</param>
    /// <param name="status">Show the target, the queue, the last success and the last error.</param>
    /// <param name="json">With --status: print it as JSON.</param>
    /// <param name="wait">Flush in the foreground until the outbox is empty (the last step of a CI job); exit 3 when --timeout passes first.</param>
    /// <param name="timeout">With --wait: how long to keep trying: 60s (default), 5m, or seconds.</param>
    public async Task<int> Ship(bool background = false, bool status = false, bool json = false, bool wait = false, string timeout = "60s", CancellationToken cancellationToken = default)
    {
        if (status)
        {
            ShipStatus.Snapshot s = ShipStatus.Read(Cli.OpenStore().Root);
            if (json)
            {
                using var o = new Output.StreamBufferWriter(Console.OpenStandardOutput());
                ShipStatus.Json(s, o);
                System.Buffers.BuffersExtensions.Write(o, "\n"u8);
            }
            else ShipStatus.Text(s, Console.Out);
            return ExitCodes.Ok;
        }
        if (background && wait) throw new AgentStraceException("--background and --wait exclude each other.");
        TimeSpan limit = ParseDuration(timeout);
        if (background) Detach.FromParent();
        ShipMode mode = background ? ShipMode.Background : wait ? ShipMode.Wait : ShipMode.Once;
        return await ShipRunner.RunAsync(Cli.OpenStore(), mode, limit, Environment.GetEnvironmentVariable, Output.Text.Warn, cancellationToken);
    }

    private static TimeSpan ParseDuration(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        double scale = t.EndsWith('m') ? 60 : t.EndsWith('h') ? 3600 : 1;
        if (t.EndsWith('s') || t.EndsWith('m') || t.EndsWith('h')) t = t[..^1];
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0) || v * scale > 86400 * 7)
        {
            throw new AgentStraceException($"Invalid --timeout '{text}': use 60s, 5m or a number of seconds.");
        }
        return TimeSpan.FromSeconds(v * scale);
    }
}
