namespace AgentStrace.Tests.Support;

/// <summary>Paths of the repository's own test fixtures (tests/fixtures; nothing outside the repository is read).</summary>
public static class Fixtures
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Dir => Path.Combine(RepoRoot, "tests", "fixtures");
    public static string SampleStore => Path.Combine(Dir, "upstream-sample-store");
    public static string PythonJson => Path.Combine(Dir, "python-json");

    public static readonly string[] SampleSessions = ["9f1c2b7e-5a4d-4c", "b41d7e09c2a84f65", "c7a05e3f91d24b68"];

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentStrace.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("AgentStrace.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fresh copy of the sample store in a temp directory (tests may modify it).</summary>
    public static TempDir CopySampleStore()
    {
        var temp = new TempDir();
        CopyDirectory(SampleStore, temp.Path);
        return temp;
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}

public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agent-strace-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
