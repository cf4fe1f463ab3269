namespace AgentStrace.Doctor;

/// <summary>
/// <c>doctor</c>: runs every check in order and collects one line each. A new check is a function of
/// <see cref="DoctorCheckFn"/> shape added to <see cref="Checks"/>; the command, the text and JSON output and the exit
/// code need no change.
/// </summary>
public static class Doctor
{
    public static IReadOnlyList<DoctorCheckFn> Checks { get; } =
    [
        DoctorHooks.ClaudeHooks,
        DoctorHooks.OtherAgentHooks,
        DoctorHooks.HookBinary,
        DoctorStore.Writable,
        DoctorStore.LastEvent,
        DoctorStore.HookErrors,
        DoctorStore.SideFiles,
        DoctorStore.Leftovers,
        DoctorStore.Config,
        DoctorNetwork.Endpoint,
        DoctorNetwork.Langfuse,
        DoctorShip.State,
    ];

    public static async Task<List<DoctorLine>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var lines = new List<DoctorLine>();
        foreach (DoctorCheckFn check in Checks)
        {
            try
            {
                lines.AddRange(await check(context, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One broken check must not hide the others' findings.
                lines.Add(new DoctorLine("doctor", CheckState.Fail, "the check itself failed: " + ex.Message.ReplaceLineEndings(" "), "please report this"));
            }
        }
        return lines;
    }
}
