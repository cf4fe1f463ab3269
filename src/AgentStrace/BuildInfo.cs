using System.Reflection;

namespace AgentStrace.Cli;

internal static class BuildInfo
{
    /// <summary>The version from Directory.Build.props (the single place it is set).</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
