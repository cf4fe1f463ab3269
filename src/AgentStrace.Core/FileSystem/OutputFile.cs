using AgentStrace.Errors;
using Microsoft.Win32.SafeHandles;

namespace AgentStrace.FileSystem;

/// <summary>
/// What <c>--output FILE</c> means for each kind of FILE:
/// <list type="bullet">
/// <item>a regular file (or none): replaced atomically (a temp file beside it, created exclusively, renamed over it),
/// keeping the old file's permissions; a new file gets 0600 when the format carries session content, else 0666
/// minus the umask;</item>
/// <item>a FIFO, a character device (<c>/dev/null</c>, a terminal) or <c>/dev/stdout</c>/<c>/dev/stderr</c>: written
/// through as a stream, never replaced;</item>
/// <item>a symbolic link: refused (exit 2) unless <c>--follow-symlinks</c>, which applies these rules to its target;</item>
/// <item>a directory, block device or socket: refused (exit 2).</item>
/// </list>
/// </summary>
public sealed class OutputFile
{
    private OutputFile(string path, bool replace, UnixFileMode? mode)
    {
        Path = path;
        Replace = replace;
        Mode = mode;
    }

    /// <summary>The file written: the target itself, or the link's target with --follow-symlinks.</summary>
    public string Path { get; }

    /// <summary>True: write a temp file and rename it over <see cref="Path"/>; false: write through the existing node.</summary>
    public bool Replace { get; }

    /// <summary>Permissions for the replacement (Unix), null to leave the default.</summary>
    public UnixFileMode? Mode { get; }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static OutputFile Plan(string output, bool followSymlinks, bool carriesContent)
    {
        string full = System.IO.Path.GetFullPath(output);
        if (StandardStream(full) != 0) return new OutputFile(full, replace: false, null);
        FileKind kind = SafeFile.KindOf(full);
        if (kind == FileKind.SymbolicLink)
        {
            if (!followSymlinks)
            {
                throw new AgentStraceException($"Cannot write --output {output}: it is a symbolic link (to {new FileInfo(full).LinkTarget}); pass --follow-symlinks to write to its target, or give the target's path.");
            }
            FileSystemInfo? target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            if (target is null) throw new AgentStraceException($"Cannot write --output {output}: the symbolic link cannot be resolved.");
            full = target.FullName;
            kind = SafeFile.KindOf(full);
        }
        string? dir = System.IO.Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir)) throw new AgentStraceException($"Cannot write --output {output}: directory {dir} does not exist.");
        return kind switch
        {
            FileKind.Missing => new OutputFile(full, replace: true, OperatingSystem.IsWindows() || !carriesContent ? null : OwnerOnly),
            FileKind.Regular => new OutputFile(full, replace: true, OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(full)),
            FileKind.Fifo or FileKind.CharacterDevice => new OutputFile(full, replace: false, null),
            _ => throw new AgentStraceException($"Cannot write --output {output}: it is {UnsafeFileException.Describe(kind)}; give a regular file, a FIFO or a character device."),
        };
    }

    /// <summary>Opens the stream to write: a fresh exclusive temp file (see <see cref="TempPath"/>) or the node itself.</summary>
    public FileStream Open(out string? tempPath)
    {
        if (!Replace)
        {
            tempPath = null;
            return new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        }
        // An export killed before its rename left its temp file beside FILE: it goes now.
        Leftovers.Sweep(System.IO.Path.GetDirectoryName(Path) ?? ".", name => name == System.IO.Path.GetFileName(Path));
        tempPath = TempPath();
        SafeFileHandle handle = SafeFile.Open(tempPath, FileMode.CreateNew, FileAccess.Write, Mode);
        // The umask may have narrowed the mode; the replacement keeps exactly the old file's permissions.
        if (Mode is UnixFileMode mode && !OperatingSystem.IsWindows()) File.SetUnixFileMode(handle, mode);
        return new FileStream(handle, FileAccess.Write, 1);
    }

    private string TempPath() =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path) ?? ".",
            "." + System.IO.Path.GetFileName(Path) + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>1 or 2 when <paramref name="full"/> names this process's stdout or stderr, else 0.</summary>
    public static int StandardStream(string full) => OperatingSystem.IsWindows() ? 0 : full switch
    {
        "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1" => 1,
        "/dev/stderr" or "/dev/fd/2" or "/proc/self/fd/2" => 2,
        _ => 0,
    };
}
