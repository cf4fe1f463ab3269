namespace AgentStrace.Testing;

/// <summary>What a finished process left: its exit code and everything it wrote.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
