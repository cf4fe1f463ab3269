using System.Runtime.InteropServices;

namespace AgentStrace.View;

/// <summary>
/// The columns of the terminal on a descriptor, read with <c>ioctl(TIOCGWINSZ)</c> on Linux. .NET's
/// <c>Console.WindowWidth</c> would initialise the console and leave the terminal in keypad mode; on other systems
/// (where ioctl's variadic call convention differs) it is used as it is.
/// </summary>
public static unsafe partial class TerminalSize
{
    public static int? Columns(int fd)
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return Console.WindowWidth > 0 ? Console.WindowWidth : null;
            ushort* size = stackalloc ushort[4];
            return Ioctl(fd, 0x5413, size) == 0 && size[1] > 0 ? size[1] : null;
        }
        catch (Exception ex) when (ex is IOException or DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, nuint request, ushort* size);
}
