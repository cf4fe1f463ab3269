using System.Runtime.InteropServices;

namespace AgentStrace.FileSystem;

/// <summary>
/// Makes a background process independent of whoever started it (Unix): a new session (no controlling terminal, not
/// in the hook's process group, so a signal to that group does not reach it) and standard streams on /dev/null, so it
/// holds no pipe of its parent open.
/// </summary>
public static partial class Detach
{
    public static void FromParent()
    {
        if (OperatingSystem.IsWindows()) return;
        _ = SetSid();
        int fd = Open("/dev/null", 2 /* O_RDWR */);
        if (fd < 0) return;
        for (int target = 0; target <= 2; target++) _ = Dup2(fd, target);
        if (fd > 2) _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "setsid")]
    private static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
