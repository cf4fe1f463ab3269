using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>PowerShell 7: <c>pwsh</c> on PATH, else the repo's local dotnet tool (<c>dotnet pwsh</c>, restored by .ci/run).</summary>
public static class Pwsh
{
    private static readonly Lazy<Task<string[]?>> s_command = new(FindAsync);

    public static async Task<CliResult> RunFileAsync(string script, IEnumerable<string> args, IDictionary<string, string?>? env = null)
    {
        string[]? cmd = await s_command.Value;
        Skip.When(cmd is null, "PowerShell 7 is not available: run 'dotnet tool restore' (the repo's tool manifest has PowerShell 7.6.9)");
        return await ProcessRunner.RunAsync(cmd![0], [.. cmd.Skip(1), "-NoProfile", "-NonInteractive", "-File", script, .. args],
            TimeSpan.FromMinutes(2), env, Repo.Root);
    }

    private static async Task<string[]?> FindAsync()
    {
        string[][] candidates = ProcessRunner.Which("pwsh") is { } pwsh ? [[pwsh], ["dotnet", "pwsh"]] : [["dotnet", "pwsh"]];
        foreach (string[] c in candidates)
        {
            try
            {
                var r = await ProcessRunner.RunAsync(c[0], [.. c.Skip(1), "-NoProfile", "-Command", "$PSVersionTable.PSVersion.Major"],
                    TimeSpan.FromSeconds(90), workingDirectory: Repo.Root);
                if (r.ExitCode == 0 && int.TryParse(r.Stdout.Trim(), out int major) && major >= 7) return c;
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException)
            {
            }
        }
        return null;
    }
}
