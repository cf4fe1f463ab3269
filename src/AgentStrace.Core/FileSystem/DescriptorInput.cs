using System.Runtime.InteropServices;

namespace AgentStrace.FileSystem;

/// <summary>
/// A read-only stream over a Unix file descriptor (a hook's stdin) whose reads can wait a bounded time, with
/// <c>poll(2)</c> and <c>read(2)</c> on the calling thread. A read with a timeout over .NET's console stream needs a
/// second thread (a thread-pool worker and the pool's gate thread are started, and the wait spins): about a sixth of
/// a hook's CPU time.
/// </summary>
public sealed unsafe partial class DescriptorInput(int fd) : Stream
{
    private const int EINTR = 4, EAGAIN = 11;
    private const short POLLIN = 1;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count), Timeout.InfiniteTimeSpan);

    public override int Read(Span<byte> buffer) => Read(buffer, Timeout.InfiniteTimeSpan);

    /// <summary>Bytes read (0 at end of input), or -1 when nothing could be read within <paramref name="timeout"/>.</summary>
    public int Read(Span<byte> buffer, TimeSpan timeout)
    {
        if (buffer.IsEmpty) return 0;
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            long left = deadline == long.MaxValue ? -1 : Math.Max(0, deadline - Environment.TickCount64);
            var poll = new PollFd { Fd = fd, Events = POLLIN };
            int ready = Poll(&poll, 1, (int)Math.Min(left, int.MaxValue));
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
            }
            if (ready == 0) return -1;
            // Readable, at end (POLLHUP) or in error (POLLERR, POLLNVAL): read says which.
            fixed (byte* p = buffer)
            {
                nint n = ReadNative(fd, p, (nuint)buffer.Length);
                if (n >= 0) return (int)n;
                int errno = Marshal.GetLastPInvokeError();
                // EAGAIN: a non-blocking descriptor that poll called ready too early; wait again.
                if (errno is EINTR or EAGAIN) continue;
                throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
            }
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadNative(int fd, byte* buffer, nuint count);
}
