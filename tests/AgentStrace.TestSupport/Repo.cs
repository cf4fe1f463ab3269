namespace AgentStrace.Testing;

/// <summary>The repository and its own test fixtures (tests/fixtures; nothing outside the repository is read).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");
    public static string SampleStore => Path.Combine(Fixtures, "upstream-sample-store");
    public static string PythonJson => Path.Combine(Fixtures, "python-json");

    /// <summary>The sessions of <see cref="SampleStore"/>: hooks (the parent), MCP (its sub-agent) and SDK.</summary>
    public static readonly string[] SampleSessions = ["9f1c2b7e-5a4d-4c", "b41d7e09c2a84f65", "c7a05e3f91d24b68"];

    /// <summary>A fresh copy of the sample store as a temp directory of its own (tests may modify it).</summary>
    public static TempDir CopySampleStore()
    {
        var temp = new TempDir();
        TempDir.Copy(SampleStore, temp.Path);
        return temp;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentStrace.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AgentStrace.sln not found above " + AppContext.BaseDirectory);
    }
}
