namespace AgentStrace.Capture.Hooks;

/// <summary>Remote, branch and short commit read straight from <c>.git</c> (no git process on the hot path).</summary>
public sealed record GitInfo(string Repo, string Branch, string Commit)
{
    public static GitInfo Read(string directory)
    {
        try
        {
            string? gitDir = FindGitDir(directory);
            if (gitDir is null) return new GitInfo("", "", "");
            string commonDir = File.Exists(Path.Combine(gitDir, "commondir"))
                ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(Path.Combine(gitDir, "commondir")).Trim()))
                : gitDir;
            string head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
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
                string text = File.ReadAllText(git).Trim();
                if (text.StartsWith("gitdir:", StringComparison.Ordinal)) return Path.GetFullPath(Path.Combine(dir.FullName, text[7..].Trim()));
            }
        }
        return null;
    }

    private static string ResolveRef(string commonDir, string refName)
    {
        string loose = Path.Combine(commonDir, refName);
        if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
        string packed = Path.Combine(commonDir, "packed-refs");
        if (!File.Exists(packed)) return "";
        foreach (string line in File.ReadLines(packed))
        {
            if (line.EndsWith(" " + refName, StringComparison.Ordinal)) return line[..line.IndexOf(' ')];
        }
        return "";
    }

    private static string OriginUrl(string commonDir)
    {
        string config = Path.Combine(commonDir, "config");
        if (!File.Exists(config)) return "";
        bool inOrigin = false;
        foreach (string raw in File.ReadLines(config))
        {
            string line = raw.Trim();
            if (line.StartsWith('[')) inOrigin = line == "[remote \"origin\"]";
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.IndexOf('=') is int eq and > 0) return line[(eq + 1)..].Trim();
        }
        return "";
    }
}
