namespace AgentStrace.Testing;

/// <summary>A fresh directory under the system temp directory, deleted (best effort) on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agent-strace-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The store a command run in <see cref="Path"/> finds by default: <c>.agent-traces</c>.</summary>
    public string Store => System.IO.Path.Combine(Path, ".agent-traces");

    /// <summary>A temp directory whose <see cref="Store"/> is a copy of the sample store.</summary>
    public static TempDir WithSampleStore()
    {
        var t = new TempDir();
        Copy(Repo.SampleStore, t.Store);
        return t;
    }

    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from)) File.Copy(f, System.IO.Path.Combine(to, System.IO.Path.GetFileName(f)));
        foreach (string d in Directory.GetDirectories(from)) Copy(d, System.IO.Path.Combine(to, System.IO.Path.GetFileName(d)));
    }

    /// <summary>Every file's bytes, for "nothing changed on disk" assertions.</summary>
    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(dir, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
