using System.Runtime.InteropServices;

namespace AgentStrace.Output;

/// <summary>
/// A write-only stream over a Unix file descriptor (stdout or stderr) that calls <c>write(2)</c> directly. .NET's
/// console streams switch a terminal to keypad mode on first use and never switch it back; a <c>FileStream</c> over
/// the descriptor writes at its own offsets (pwrite), so a second command appending to the same file would overwrite
/// the first one's output. <c>write(2)</c> advances the shared offset as a shell redirection expects.
/// </summary>
public sealed unsafe partial class DescriptorStream(int fd) : Stream
{
    private const int EINTR = 4, EAGAIN = 11, EPIPE = 32;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            byte* p = start;
            int left = buffer.Length;
            while (left > 0)
            {
                nint n = WriteNative(fd, p, (nuint)left);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno is EINTR or EAGAIN) continue;
                    // Same HResult as .NET's own stdout on a closed pipe, so `| head` ends quietly.
                    throw new IOException(errno == EPIPE ? "Broken pipe" : Marshal.GetPInvokeErrorMessage(errno), errno);
                }
                p += n;
                left -= (int)n;
            }
        }
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int fd, byte* buffer, nuint count);
}
