using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AgentStrace.FileSystem;

/// <summary>
/// The system calls behind <see cref="SafeFile"/>. On Unix they go through the runtime's own native shim
/// (System.Native, linked into every .NET app and into the AOT binary), whose open flags and file status layout
/// are the same on Linux, musl and macOS: <c>open(O_NOFOLLOW)</c>, <c>lstat</c>, <c>fstat</c>, <c>flock</c>, <c>mkdir</c>, <c>rename</c>.
/// </summary>
internal static unsafe partial class NativeFile
{
    private const string Shim = "libSystem.Native";

    // The shim's portable flag values (not the platform's).
    private const int OWrOnly = 0x1, ORdWr = 0x2, OCloExec = 0x10, OCreat = 0x20, OExcl = 0x40, OTrunc = 0x80, ONoFollow = 0x200;
    private const int SIfMt = 0xF000, SIfIfo = 0x1000, SIfChr = 0x2000, SIfDir = 0x4000, SIfBlk = 0x6000, SIfReg = 0x8000, SIfLnk = 0xA000, SIfSock = 0xC000;
    private const int LockEx = 2, LockNb = 4;
    private const int StatusBytes = 256; // larger than the shim's FileStatus on every version; Mode is the second int32

    public static FileKind KindOf(string path)
    {
        if (OperatingSystem.IsWindows()) return WindowsKind(path);
        byte* status = stackalloc byte[StatusBytes];
        if (LStat(Utf8Z(path), status) != 0) return FileKind.Missing;
        return Kind(((int*)status)[1]);
    }

    public static FileKind KindOf(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            FileAttributes a = File.GetAttributes(handle);
            return (a & FileAttributes.ReparsePoint) != 0 ? FileKind.SymbolicLink : (a & FileAttributes.Directory) != 0 ? FileKind.Directory : FileKind.Regular;
        }
        byte* status = stackalloc byte[StatusBytes];
        if (FStat(handle.DangerousGetHandle(), status) != 0) throw Error(Marshal.GetLastPInvokeError(), "(open file)");
        return Kind(((int*)status)[1]);
    }

    public static SafeFileHandle OpenNoFollow(string path, FileMode mode, FileAccess access, UnixFileMode? createMode)
    {
        // Refuse before opening: opening a FIFO for reading blocks until a writer appears, a device may have side effects.
        FileKind before = KindOf(path);
        if (before is not (FileKind.Missing or FileKind.Regular)) throw new UnsafeFileException(path, before);
        if (OperatingSystem.IsWindows()) return OpenWindows(path, mode, access);
        int flags = OCloExec | ONoFollow | (access switch { FileAccess.Read => 0, FileAccess.Write => OWrOnly, _ => ORdWr });
        flags |= mode switch
        {
            FileMode.CreateNew => OCreat | OExcl,
            FileMode.Create => OCreat | OTrunc,
            FileMode.OpenOrCreate => OCreat,
            FileMode.Truncate => OTrunc,
            _ => 0,
        };
        int perms = (int)(createMode ?? (UnixFileMode)0x1B6); // 0666 before the umask
        nint fd = Open(Utf8Z(path), flags, perms);
        if (fd < 0) throw Error(Marshal.GetLastPInvokeError(), path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// CreateFileW with <c>FILE_FLAG_OPEN_REPARSE_POINT</c>: a link (or junction) swapped in after the check above is
    /// opened as itself, not followed, and <see cref="KindOf(SafeFileHandle)"/> then sees the reparse point and refuses it.
    /// </summary>
    public static SafeFileHandle OpenWindows(string path, FileMode mode, FileAccess access, bool shared = true)
    {
        const uint GenericRead = 0x80000000, GenericWrite = 0x40000000;
        const uint ShareAll = 0x1 | 0x2 | 0x4; // read, write, delete: as the store's other openers
        const uint AttributeNormal = 0x80, OpenReparsePoint = 0x00200000;
        uint desired = access switch { FileAccess.Read => GenericRead, FileAccess.Write => GenericWrite, _ => GenericRead | GenericWrite };
        uint disposition = mode switch
        {
            FileMode.CreateNew => 1,
            FileMode.Create => 2,
            FileMode.OpenOrCreate => 4,
            FileMode.Truncate => 5,
            _ => 3, // OPEN_EXISTING
        };
        SafeFileHandle handle = CreateFileW(Path.GetFullPath(path), desired, shared ? ShareAll : 0, 0, disposition, AttributeNormal | OpenReparsePoint, 0);
        if (!handle.IsInvalid) return handle;
        int error = Marshal.GetLastPInvokeError();
        handle.Dispose();
        string message = $"{path}: {Marshal.GetPInvokeErrorMessage(error)}";
        throw error switch
        {
            2 => new FileNotFoundException(message, path), // ERROR_FILE_NOT_FOUND
            3 => new DirectoryNotFoundException(message), // ERROR_PATH_NOT_FOUND
            5 => new UnauthorizedAccessException(message), // ERROR_ACCESS_DENIED
            _ => new IOException(message, unchecked((int)0x80070000) | error), // ERROR_SHARING_VIOLATION: 0x80070020, as FileStream
        };
    }

    [LibraryImport("kernel32.dll", EntryPoint = "CreateFileW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    private static partial SafeFileHandle CreateFileW(string name, uint access, uint share, nint security, uint disposition, uint flags, nint template);

    /// <summary>flock(LOCK_EX|LOCK_NB) on Unix: true when taken, false when another process holds it.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle)
    {
        if (FLock(handle.DangerousGetHandle(), LockEx | LockNb) == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == ErrnoWouldBlock) return false;
        throw Error(errno, "(lock file)");
    }

    /// <summary>
    /// rename(2) of a directory (Unix): replaces only a missing or empty directory, so a target someone is already
    /// writing into stays as it is (IOException). Windows: Directory.Move, which never replaces.
    /// </summary>
    public static void RenameDirectory(string from, string to)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.Move(from, to);
            return;
        }
        if (Rename(Utf8Z(from), Utf8Z(to)) != 0) throw Error(Marshal.GetLastPInvokeError(), to);
    }

    /// <summary>
    /// Linux <c>renameat2(RENAME_EXCHANGE)</c>: swaps two existing names in one step. False where there is no exchange
    /// (another platform, a C library or file system without it) or a name is missing: the caller renames instead.
    /// </summary>
    public static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        int result;
        try { result = RenameAt2(AtFdCwd, Utf8Z(a), AtFdCwd, Utf8Z(b), RenameExchange); }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException) { return false; } // musl: bound lazily, may lack it
        if (result == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        return errno is 2 or 22 or 38 or 95 ? false : throw Error(errno, b); // ENOENT, EINVAL, ENOSYS, EOPNOTSUPP
    }

    /// <summary>mkdir(2): false when something exists at <paramref name="path"/> already (Windows: a directory).</summary>
    public static bool TryCreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (Directory.Exists(path)) return false;
            Directory.CreateDirectory(path);
            return true;
        }
        if (MkDir(Utf8Z(path), 0x1FF) == 0) return true; // 0777 before the umask, as any tool's new directory
        int errno = Marshal.GetLastPInvokeError();
        return errno == 17 ? false : throw Error(errno, path); // EEXIST: 17 on Linux and macOS
    }

    private static int ErrnoWouldBlock => OperatingSystem.IsLinux() ? 11 : 35;
    private static int ErrnoLoop => OperatingSystem.IsLinux() ? 40 : 62;

    private static Exception Error(int errno, string path)
    {
        string message = $"{path}: {Marshal.GetPInvokeErrorMessage(errno)}";
        if (errno == 2) return new FileNotFoundException(message, path);
        if (errno == 20) return new DirectoryNotFoundException(message);
        if (errno is 1 or 13) return new UnauthorizedAccessException(message);
        if (errno == ErrnoLoop) return new UnsafeFileException(path, FileKind.SymbolicLink);
        return new IOException(message, errno);
    }

    private static FileKind Kind(int mode) => (mode & SIfMt) switch
    {
        SIfReg => FileKind.Regular,
        SIfDir => FileKind.Directory,
        SIfLnk => FileKind.SymbolicLink,
        SIfIfo => FileKind.Fifo,
        SIfChr => FileKind.CharacterDevice,
        SIfBlk => FileKind.BlockDevice,
        SIfSock => FileKind.Socket,
        _ => FileKind.Other,
    };

    private static FileKind WindowsKind(string path)
    {
        try
        {
            FileAttributes a = File.GetAttributes(path);
            if ((a & FileAttributes.ReparsePoint) != 0) return FileKind.SymbolicLink;
            if ((a & FileAttributes.Directory) != 0) return FileKind.Directory;
            return (a & FileAttributes.Device) != 0 ? FileKind.CharacterDevice : FileKind.Regular;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { return FileKind.Missing; }
    }

    private static byte[] Utf8Z(string path)
    {
        if (path.Contains('\0')) throw new ArgumentException("path contains a NUL character", nameof(path));
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    [LibraryImport(Shim, EntryPoint = "SystemNative_Open", SetLastError = true)]
    private static partial nint Open(byte[] path, int flags, int mode);

    [LibraryImport(Shim, EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static partial int LStat(byte[] path, byte* status);

    [LibraryImport(Shim, EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static partial int FStat(nint fd, byte* status);

    [LibraryImport(Shim, EntryPoint = "SystemNative_MkDir", SetLastError = true)]
    private static partial int MkDir(byte[] path, int mode);

    [LibraryImport(Shim, EntryPoint = "SystemNative_Rename", SetLastError = true)]
    private static partial int Rename(byte[] from, byte[] to);

    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static partial int RenameAt2(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, uint flags);

    [LibraryImport(Shim, EntryPoint = "SystemNative_FLock", SetLastError = true)]
    private static partial int FLock(nint fd, int operation);
}
