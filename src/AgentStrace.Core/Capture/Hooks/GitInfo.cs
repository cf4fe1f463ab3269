using AgentStrace.FileSystem;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Remote, branch and short commit read straight from <c>.git</c> (no git process on the hot path). Every file is
/// opened through <see cref="SafeFile"/> (regular files only: a FIFO or a link to <c>/dev/zero</c> is refused, not
/// read) and read up to a small bound, so hostile metadata costs at most a few megabytes and never blocks.
/// </summary>
public sealed record GitInfo(string Repo, string Branch, string Commit)
{
    private const long SmallFile = 64 << 10;
    private const long ListFile = 16 << 20;

    public static GitInfo Read(string directory)
    {
        try
        {
            string? gitDir = FindGitDir(directory);
            if (gitDir is null) return new GitInfo("", "", "");
            string commonDir = Small(Path.Combine(gitDir, "commondir")) is { Length: > 0 } common
                ? Path.GetFullPath(Path.Combine(gitDir, common))
                : gitDir;
            string head = Small(Path.Combine(gitDir, "HEAD")) ?? "";
            string branch = "", commit = head;
            if (head.StartsWith("ref: ", StringComparison.Ordinal))
            {
                string refName = head[5..];
                branch = refName.StartsWith("refs/heads/", StringComparison.Ordinal) ? refName[11..] : refName;
                commit = ResolveRef(commonDir, refName);
            }
            return new GitInfo(OriginUrl(commonDir), branch, commit.Length >= 7 ? commit[..7] : "");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new GitInfo("", "", "");
        }
    }

    private static string? FindGitDir(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            string git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git)) return git;
            if (File.Exists(git))
            {
                string text = Small(git) ?? "";
                if (text.StartsWith("gitdir:", StringComparison.Ordinal)) return Path.GetFullPath(Path.Combine(dir.FullName, text[7..].Trim()));
            }
        }
        return null;
    }

    private static string ResolveRef(string commonDir, string refName)
    {
        string loose = Path.Combine(commonDir, refName);
        if (Small(loose) is { } value) return value;
        foreach (string line in Lines(Path.Combine(commonDir, "packed-refs")))
        {
            if (line.EndsWith(" " + refName, StringComparison.Ordinal)) return line[..line.IndexOf(' ')];
        }
        return "";
    }

    private static string OriginUrl(string commonDir)
    {
        bool inOrigin = false;
        foreach (string raw in Lines(Path.Combine(commonDir, "config")))
        {
            string line = raw.Trim();
            if (line.StartsWith('[')) inOrigin = line == "[remote \"origin\"]";
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.IndexOf('=') is int eq and > 0) return line[(eq + 1)..].Trim();
        }
        return "";
    }

    // The trimmed text of a small metadata file, or null when it does not exist.
    private static string? Small(string path) => SafeFile.TryReadAllText(path, SmallFile)?.Trim();

    // Lines of a list file (packed-refs, config), read as a stream up to a bound.
    private static IEnumerable<string> Lines(string path)
    {
        using FileStream? file = SafeFile.TryOpenRead(path);
        if (file is null) yield break;
        using var reader = new StreamReader(new BoundedStream(file, ListFile, ownsInner: true));
        while (reader.ReadLine() is { } line) yield return line;
    }
}
