namespace AgentStrace;

public static partial class BuildInfo
{
    /// <summary>The version from Directory.Build.props (the single place it is set), compiled in as a constant by the
    /// project's WriteBuildInfo target: reading it from an assembly attribute pulled reflection into the binary.</summary>
    public const string Version = BuildVersion;
}
