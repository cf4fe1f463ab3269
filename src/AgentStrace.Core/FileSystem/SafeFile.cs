using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AgentStrace.FileSystem;

/// <summary>
/// The one way the tool opens files it does not fully control: the store (which usually lives inside a repository
/// someone else wrote), transcripts and git metadata. A symlink is never followed, and a FIFO, device, socket or
/// directory is never read or written: the path is checked with <c>lstat</c> first (so a FIFO or device is never
/// opened), the open itself uses <c>O_NOFOLLOW</c> (a link swapped in meanwhile fails with ELOOP), and <c>fstat</c> on
/// the handle must say "regular file". Windows: no reparse point before the open, <c>CreateFileW</c> with
/// <c>FILE_FLAG_OPEN_REPARSE_POINT</c> (a link swapped in is opened as itself), and the handle's attributes after it.
/// </summary>
public static class SafeFile
{
    /// <summary>Opens an existing regular file for reading; <see cref="FileNotFoundException"/> when absent.</summary>
    public static FileStream OpenRead(string path) => Stream(Open(path, FileMode.Open, FileAccess.Read), FileAccess.Read);

    /// <summary>Like <see cref="OpenRead"/> but returns null when the file (or its directory) does not exist.</summary>
    public static FileStream? TryOpenRead(string path)
    {
        try { return OpenRead(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>
    /// A file the user named to be read (<c>verify --from-export FILE</c>): a link is followed, as any tool reading a
    /// named file does, but what it names must be a regular file: a FIFO would block the open, a device never ends.
    /// </summary>
    public static FileStream OpenNamedInput(string path)
    {
        if (path.Length == 0) throw new FileNotFoundException("no file name given", path);
        string target = KindOf(path) == FileKind.SymbolicLink && new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } link ? link.FullName : path;
        return OpenRead(target);
    }

    /// <summary>Opens (or creates) a regular file for reading and writing, never through a link.</summary>
    public static FileStream OpenReadWrite(string path, FileMode mode = FileMode.OpenOrCreate) =>
        Stream(Open(path, mode, FileAccess.ReadWrite), FileAccess.ReadWrite);

    /// <summary>Opens a regular file for writing with <paramref name="mode"/> (Create, CreateNew, OpenOrCreate).</summary>
    public static FileStream OpenWrite(string path, FileMode mode, UnixFileMode? createMode = null) =>
        Stream(Open(path, mode, FileAccess.Write, createMode), FileAccess.Write);

    /// <summary>
    /// Opens (or creates) a lock file and takes <c>flock(LOCK_EX|LOCK_NB)</c> on it (Unix); <see cref="IOException"/>
    /// when another process holds it.
    /// </summary>
    public static FileStream OpenLocked(string path)
    {
        SafeFileHandle handle = Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        bool locked;
        try { locked = NativeFile.TryLockExclusive(handle); }
        catch
        {
            handle.Dispose();
            throw;
        }
        if (!locked)
        {
            handle.Dispose();
            throw new IOException($"{path} is locked by another process");
        }
        return Stream(handle, FileAccess.ReadWrite);
    }

    /// <summary>
    /// Windows only: opens (or creates) a lock file that no other handle may share, never through a reparse point;
    /// <see cref="IOException"/> with the sharing-violation HRESULT (0x80070020) while another process holds it.
    /// </summary>
    public static FileStream OpenUnshared(string path)
    {
        FileKind before = NativeFile.KindOf(path);
        if (before is not (FileKind.Missing or FileKind.Regular)) throw new UnsafeFileException(path, before);
        SafeFileHandle handle = NativeFile.OpenWindows(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, shared: false);
        return Stream(RegularOrDisposed(handle, path), FileAccess.ReadWrite);
    }

    /// <summary>The whole file, refused (<see cref="FileTooLargeException"/>) when it holds more than <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using SafeFileHandle handle = Open(path, FileMode.Open, FileAccess.Read);
        return ReadBounded(handle, path, maxBytes);
    }

    /// <summary><see cref="ReadAllBytes"/>, or null when the file does not exist.</summary>
    public static byte[]? TryReadAllBytes(string path, long maxBytes)
    {
        SafeFileHandle handle;
        try { handle = Open(path, FileMode.Open, FileAccess.Read); }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { return null; }
        using (handle) return ReadBounded(handle, path, maxBytes);
    }

    /// <summary>UTF-8 text of a small file, or null when it does not exist.</summary>
    public static string? TryReadAllText(string path, long maxBytes) =>
        TryReadAllBytes(path, maxBytes) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>
    /// Appends <paramref name="text"/> in one write (creating the file), never through a link. Writers from other
    /// processes are serialised by a short flock on the file; after 250 ms the line is written anyway.
    /// </summary>
    public static void AppendAllText(string path, string text)
    {
        using SafeFileHandle handle = Open(path, FileMode.OpenOrCreate, FileAccess.Write);
        var wait = System.Diagnostics.Stopwatch.StartNew();
        while (!OperatingSystem.IsWindows() && !NativeFile.TryLockExclusive(handle) && wait.ElapsedMilliseconds < 250) Thread.Sleep(2);
        RandomAccess.Write(handle, Encoding.UTF8.GetBytes(text), RandomAccess.GetLength(handle));
    }

    /// <summary>
    /// Replaces <paramref name="path"/> atomically: a fresh temp file (created exclusively, so a planted name cannot
    /// redirect it) is written and renamed over the target. A rename replaces a link itself, never its target.
    /// </summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> bytes, UnixFileMode? createMode = null, bool durable = false)
    {
        string temp = path + "." + Environment.ProcessId + ".tmp";
        DeleteIfLeftOver(temp);
        try
        {
            using (FileStream file = OpenWrite(temp, FileMode.CreateNew, createMode))
            {
                file.Write(bytes);
                if (durable) file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            DeleteIfLeftOver(temp);
            throw;
        }
    }

    /// <summary>
    /// <see cref="WriteAtomic(string, ReadOnlySpan{byte}, UnixFileMode?, bool)"/> for a small state file rewritten on
    /// every hook call by writers that hold the lock ordering them. The bytes are written in place into
    /// <c>&lt;path&gt;.swap</c>, kept between calls, and the two names are exchanged in one step (Linux
    /// <c>renameat2(RENAME_EXCHANGE)</c>): a reader sees the old or the new file whole, as after a rename. A rename over
    /// the old file frees its inode, and ext4 then writes the new data out at once (and discards the freed block on
    /// <c>discard</c> mounts): 0.6 ms per call on average here, up to 7 ms. Elsewhere it is a rename. Unlike a rename
    /// over a new file, a power loss can leave the file damaged: use it only for state whose loss costs little.
    /// </summary>
    public static void WriteSwapped(string path, ReadOnlySpan<byte> bytes)
    {
        string swap = path + ".swap";
        using (FileStream file = OpenWrite(swap, FileMode.OpenOrCreate))
        {
            file.Write(bytes);
            if (file.Length > bytes.Length) file.SetLength(bytes.Length);
        }
        if (!NativeFile.TryExchange(swap, path)) File.Move(swap, path, overwrite: true); // the first write, or no exchange
    }

    /// <summary>Text variant of <see cref="WriteAtomic(string, ReadOnlySpan{byte}, UnixFileMode?)"/>.</summary>
    public static void WriteAtomic(string path, string text) => WriteAtomic(path, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// A new owner-only scratch file in the temporary directory (<c>TMPDIR</c>), read and written through the returned
    /// stream only: on Unix its name is removed at once, so nothing is left behind even when the process is killed;
    /// elsewhere it goes on close. A random name opened with <c>CreateNew</c> never reuses a planted file or link.
    /// </summary>
    public static FileStream CreateScratch(string prefix, int bufferSize)
    {
        string path = Path.Combine(Path.GetTempPath(), prefix + Path.GetRandomFileName());
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None,
            Options = FileOptions.DeleteOnClose, BufferSize = bufferSize,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows()) DeleteIfLeftOver(path);
        return file;
    }

    /// <summary>Removes a stale temp file (or a link planted under its name) without following it.</summary>
    public static void DeleteIfLeftOver(string path)
    {
        try { File.Delete(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>What is at <paramref name="path"/> without following a final link.</summary>
    public static FileKind KindOf(string path) => NativeFile.KindOf(path);

    /// <summary>
    /// Opens a handle with the checks above. <paramref name="mode"/> is applied as FileMode does; a new file gets
    /// <paramref name="createMode"/> (default 0666 minus the umask, as any tool's new file).
    /// </summary>
    public static SafeFileHandle Open(string path, FileMode mode, FileAccess access, UnixFileMode? createMode = null)
    {
        SafeFileHandle handle = NativeFile.OpenNoFollow(path, mode, access, createMode);
        return RegularOrDisposed(handle, path);
    }

    /// <summary>The handle if what it opened is a regular file (fstat); otherwise it is closed and refused.</summary>
    private static SafeFileHandle RegularOrDisposed(SafeFileHandle handle, string path)
    {
        FileKind kind;
        try { kind = NativeFile.KindOf(handle); }
        catch
        {
            handle.Dispose();
            throw;
        }
        if (kind != FileKind.Regular)
        {
            handle.Dispose();
            throw new UnsafeFileException(path, kind);
        }
        return handle;
    }

    private static FileStream Stream(SafeFileHandle handle, FileAccess access)
    {
        try { return new FileStream(handle, access, 1); }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // One buffer sized from the file's length (a byte over, to notice growth) and positional reads, without a
    // FileStream: listing a big store reads thousands of small meta.json files, and the stream's own buffer and
    // system calls were most of that cost. Files that report no length (/proc) are read by doubling.
    private static byte[] ReadBounded(SafeFileHandle handle, string path, long maxBytes)
    {
        long length = RandomAccess.GetLength(handle);
        long cap = Math.Min(maxBytes + 1, Array.MaxLength);
        if (length > maxBytes || length >= cap) throw new FileTooLargeException(path, maxBytes);
        byte[] buffer = new byte[Math.Max(length + 1, 256)];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total >= cap) throw new FileTooLargeException(path, maxBytes);
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, cap));
            }
            int n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
            if (n == 0) break;
            total += n;
        }
        if (total > maxBytes) throw new FileTooLargeException(path, maxBytes);
        return buffer.AsSpan(0, total).ToArray();
    }
}

/// <summary>What a path names, as far as the tool cares.</summary>
public enum FileKind { Missing, Regular, Directory, SymbolicLink, Fifo, CharacterDevice, BlockDevice, Socket, Other }

/// <summary>A store, transcript or git file that is a link or special file: refused, never followed or read.</summary>
public sealed class UnsafeFileException(string path, FileKind kind)
    : IOException($"{path} is {Describe(kind)}, not a regular file; refusing to follow or open it")
{
    public FileKind Kind { get; } = kind;

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Directory => "a directory",
        _ => "a special file",
    };
}

/// <summary>A file larger than the bound its reader accepts (git metadata, configuration, sidecars).</summary>
public sealed class FileTooLargeException(string path, long maxBytes)
    : IOException($"{path} is larger than {maxBytes} bytes; not read");
