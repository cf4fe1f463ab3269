using AgentStrace.Cli.Tests.Support;
using AgentStrace.Testing;

namespace AgentStrace.Cli.Tests.Distribution;

/// <summary>Runs an installed binary where there is no .NET: empty environment, PATH without any dotnet, no DOTNET_ variables.</summary>
public static class NoDotnet
{
    public static async Task<CliResult> RunAsync(string exe, string[] args, string home)
    {
        string emptyPath = Path.Combine(home, "empty-path");
        Directory.CreateDirectory(emptyPath);
        var env = new Dictionary<string, string?> { ["PATH"] = emptyPath, ["HOME"] = home, ["TMPDIR"] = home, ["LANG"] = "C" };
        var r = await ProcessRunner.RunAsync(exe, args, TimeSpan.FromSeconds(60), env, home, cleanEnv: true);
        return r;
    }
}
